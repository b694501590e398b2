"""Live workshops: the room store (store) and what a room thinks (group)."""
