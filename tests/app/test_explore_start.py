"""AppTest flows for Explore's two new ways to the weights: the company profile and pairwise comparisons."""

from streamlit.testing.v1 import AppTest

from placement.data.catalog import load_catalog
from placement.data.editing import add_factor
from tests.app.conftest import APP


def leader(at: AppTest) -> str:
    """The 'why it leads' panel's first line (the profile's panel comes before it on the page)."""
    why = next(m.value for m in at.markdown if " leads " in m.value)
    return why.splitlines()[0].removeprefix("- ").replace("\\", "")


def answer(at: AppTest, **answers) -> AppTest:
    if not questionnaire_open(at):
        set_questionnaire(at, opened=True)
    for question, value in answers.items():
        widget = (
            at.number_input(key=f"profile_{question}")
            if isinstance(value, int)
            else at.selectbox(key=f"profile_{question}")
        )
        widget.set_value(value)
    at.button(key="FormSubmitter:company_profile_form-Derive the weights").click()
    return at.run()


def test_the_answers_set_the_sliders_say_why_and_go_into_the_url(explore):
    answer(explore, pms=40, areas=5, focus="ops_enablement", ops_size="large_ops")
    assert not explore.exception
    sliders = {s.key: s.value for s in explore.sidebar.slider}
    # ops empathy: 1 + 7 (enabling the ops teams) + 2 (large ops organisation) = 10, the largest
    assert sliders["slider_ops_empathy"] == 10
    assert sliders["slider_pm_credibility"] == 1  # no answer moved it from the base
    assert leader(explore).startswith("Rolls up into Operations leads")
    because = "\n".join(m.value for m in explore.markdown if "because you said" in m.value)
    assert "because you said *Enabling and educating the operations teams*" in because
    assert "because you said *Large: many teams or hundreds of people*" in because
    assert explore.query_params["profile"] == "pms:40,areas:5,focus:ops_enablement,ops_size:large_ops"


def test_a_link_with_answers_restores_them_and_the_staffing_counts():
    at = AppTest.from_file(APP, default_timeout=30)
    at.query_params["profile"] = "pms:40,areas:5,focus:coaching,nonsense:1"
    at.query_params["w"] = "best_practices:10,pm_credibility:3"
    at.run()
    assert not at.exception
    assert not at.main.selectbox  # a shared view opens with the questionnaire closed, and a closed one is not built
    assert any("nonsense" in w.value for w in at.warning)
    set_questionnaire(at, opened=True)
    assert at.selectbox(key="profile_focus").value == "coaching"
    assert at.number_input(key="profile_pms").value == 40
    assert at.session_state["staff_pms"] == 40 and at.session_state["staff_areas"] == 5
    assert at.slider(key="slider_best_practices").value == 10  # the link's weights, as the user left them


def test_the_decision_record_carries_the_company_profile():
    at = AppTest.from_file(APP, default_timeout=30)
    at.query_params["profile"] = "pms:40,focus:coaching"
    at.run()
    at.switch_page("pages/decision_record.py").run()
    assert not at.exception
    preview = "\n".join(m.value for m in at.markdown).replace("\\", "")
    assert "Company profile" in preview and "Best practices and coaching PMs" in preview
    # Each effect with its basis (the record's "Because you said" table).
    assert "### Because you said" in preview
    assert "| Best practices and PM coaching | Best practices and coaching PMs | +7 | the source |" in preview
    assert "| Credibility on PM day-to-day | Best practices and coaching PMs | +1 | our judgement |" in preview


def test_pairwise_comparisons_give_ahp_weights_and_point_to_the_judgement_to_revisit(explore):
    explore.radio(key="method").set_value("pairwise").run()
    assert not explore.exception
    assert len(explore.sidebar.select_slider) == 16  # eight factors: the 2n design
    assert "Consistency ratio 0.00" in "\n".join(c.value for c in explore.caption)
    explore.select_slider(key="pair_pm_alignment|ops_empathy").set_value(9).run()
    explore.select_slider(key="pair_ops_empathy|cross_functional_efficiency").set_value(9).run()
    explore.select_slider(key="pair_pm_alignment|cross_functional_efficiency").set_value(1 / 9).run()
    assert not explore.exception
    assert explore.query_params["method"] == "pairwise"
    assert "pm_alignment|ops_empathy:9" in explore.query_params["pairs"]
    warning = "\n".join(w.value for w in explore.warning)
    assert "contradict each other" in warning
    # The CR of the 16-pair design is judged against random answers on the same 16 pairs, and says so.
    caption = "\n".join(c.value for c in explore.caption)
    assert "10,000 random answer sets" in caption and "16 of 28 pairs" in caption
    # The three answers form one cycle, each as far from the weights as the others: all three are named.
    assert "3 are equally far from the resulting weights" in warning
    for pair in ("PM alignment or Ops empathy", "Ops empathy or Cross-functional efficiency"):
        assert pair in warning.replace("\\", "")
    revisit = next(b for b in explore.button if b.label.startswith("Revisit"))
    assert revisit.label == "Revisit these 3 comparisons"
    revisit.click().run()
    assert not explore.exception
    first_three = {s.key for s in explore.sidebar.select_slider[:3]}
    assert first_three == {
        "pair_pm_alignment|ops_empathy",
        "pair_ops_empathy|cross_functional_efficiency",
        "pair_pm_alignment|cross_functional_efficiency",
    }


def test_a_link_with_answers_alone_sets_their_weights():
    at = AppTest.from_file(APP, default_timeout=30)
    at.query_params["profile"] = "focus:domain"
    at.run()
    assert not at.exception
    assert any("Weights from your answers" in m.value for m in at.markdown)  # on the first run, not the next
    # domain expertise: 1 + 7 = 8; every other factor stays at the base, 1
    assert at.slider(key="slider_domain_expertise").value == 8
    assert at.slider(key="slider_flexibility").value == 1


def set_questionnaire(at: AppTest, *, opened: bool) -> AppTest:
    """Open or close the questionnaire's expander as a click does (its keyed state), and rerun."""
    at.session_state["questionnaire"] = opened
    return at.run()


def questionnaire_open(at: AppTest) -> bool:
    [expander] = [e for e in at.expander if e.label.startswith("Start from your company")]
    return expander.proto.expanded


def test_the_questionnaire_waits_to_be_opened_and_a_projector_closes_it(explore):
    """Closed on arrival, so that the ranking is the first thing seen, and its widgets are not even built."""
    assert not questionnaire_open(explore)
    assert not explore.main.selectbox and not explore.main.number_input
    set_questionnaire(explore, opened=True)
    assert questionnaire_open(explore) and len(explore.main.selectbox) == 4 and len(explore.main.number_input) == 2
    explore.toggle(key="presentation").set_value(True).run()
    assert not questionnaire_open(explore)


def test_answers_in_effect_come_back_when_the_questionnaire_is_reopened(explore):
    answer(explore, pms=40, focus="ops_enablement")
    set_questionnaire(explore, opened=False)  # closed: its widgets are not drawn, nor kept
    assert not explore.main.selectbox and not explore.main.number_input
    explore.slider(key="slider_flexibility").set_value(7).run()
    set_questionnaire(explore, opened=True)
    assert explore.selectbox(key="profile_focus").value == "ops_enablement"
    assert explore.number_input(key="profile_pms").value == 40


def sidebar_weights_in_effect(at: AppTest) -> dict[str, str]:
    [table] = [m.value for m in at.sidebar.markdown if m.value.startswith("### Weights in effect")]
    rows = [line.strip("| ").split(" | ") for line in table.splitlines() if line.startswith("| ")][2:]
    return {factor.replace("\\", ""): weight for factor, weight in rows}


def test_the_answers_exact_weights_apply_while_the_sliders_show_the_nearest_positions(explore):
    answer(explore, pms=40, areas=5, focus="portfolio", autonomy="coordinated", pain="conflicting_priorities")
    # 30 points by hand (tests/analysis/test_profile.py): PM alignment 4/30 = 13%, though its slider shows 2 of the
    # rounded 19 (11%).
    assert explore.slider(key="slider_pm_alignment").value == 2
    because = "\n".join(m.value for m in explore.markdown if "because you said" in m.value).replace("\\", "")
    assert "**PM alignment: 2** (13%)" in because  # the slider's position and the exact weight beside it
    weights = sidebar_weights_in_effect(explore)
    assert (weights["PM alignment"], weights["Visibility and global trade-offs"]) == ("13%", "53%")
    captions = " ".join(c.value for c in explore.sidebar.caption)
    assert "Your answers' exact weights apply; the sliders show the nearest positions." in captions
    explore.slider(key="slider_pm_alignment").set_value(3).run()  # moved: the sliders' own weights now
    assert sidebar_weights_in_effect(explore)["PM alignment"] == "15%"  # 3 / 20
    assert "exact weights apply" not in " ".join(c.value for c in explore.sidebar.caption)


def test_each_reason_says_what_it_rests_on(explore):
    answer(explore, focus="coaching")
    because = "\n".join(m.value for m in explore.markdown if "because you said" in m.value).replace("\\", "")
    assert "(+7, the source: Central Biz Ops can work well if" in because
    assert "(+1, our judgement: Coaching lands better" in because


def test_a_factor_the_answers_set_to_zero_is_said_to_drop_out(explore):
    answer(explore, areas=1)  # one area: domain expertise 1 - 1 = 0
    because = "\n".join(m.value for m in explore.markdown if "because you said" in m.value).replace("\\", "")
    assert (
        "**Domain expertise: 0** (0%) **drops out** (0: it counts in neither the ranking nor the robustness" in because
    )
    [table] = [m.value for m in explore.sidebar.markdown if m.value.startswith("### Weights in effect")]
    assert "**Weight 0, so it drops out** of the ranking and of the robustness sampling: Domain expertise." in table


def test_a_preset_chosen_after_the_answers_is_what_explore_and_the_record_say():
    """The answers' panel said 'Weights from your answers' and the record listed the company profile as the
    weights' origin after a preset had replaced them."""
    at = AppTest.from_file(APP, default_timeout=30)
    at.query_params["profile"] = "focus:domain"
    at.run()
    at.radio(key="preset").set_value("ops_enablement").run()
    assert not at.exception
    panel = "\n".join(m.value for m in at.markdown if "answers gave" in m.value or "from your answers" in m.value)
    assert "Weights from your answers" not in panel
    assert "not in effect, the weights now come from the preset Enabling operations teams" in panel
    at.switch_page("pages/decision_record.py").run()
    preview = "\n".join(m.value for m in at.markdown)
    assert "Company profile" not in preview
    at.switch_page("app.py").run()
    answer(at, focus="domain")  # deriving them again brings them back, to the record too
    assert any("Weights from your answers" in m.value for m in at.markdown)
    at.switch_page("pages/decision_record.py").run()
    assert "Company profile" in "\n".join(m.value for m in at.markdown)


def test_a_preset_says_an_added_factor_gets_no_weight(explore):
    model = load_catalog().model
    explore.session_state["active_model"] = add_factor(
        model, "Budget ownership", "Who holds the budget.", dict.fromkeys(model.placement_ids, 1)
    )
    explore.run()
    explore.radio(key="preset").set_value("best_practices").run()
    assert not explore.exception
    said = "\n".join(w.value for w in explore.warning)
    assert "This preset gives Budget ownership no weight (0%)" in said
    assert "Weights in effect" in "\n".join(m.value for m in explore.markdown)
    assert "| Budget ownership | 0% |" in "\n".join(m.value for m in explore.markdown)
