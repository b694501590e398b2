"""Debian's nginx in front of several app servers, with the site file a company uses (deploy/), for a test.

The site file is used as shipped: only its `listen` port, its app servers' ports and its access log change.
nginx runs in the foreground as one process (no master, no daemon) with its own prefix, temp folders and logs
in `folder`, so it needs no system service and no root-owned paths.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

from harness.server import ROOT, free_port, wait_healthy

SITE = ROOT / "deploy" / "nginx-placement.conf"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
UPSTREAM_SERVER = re.compile(r"^( *)server 127\.0\.0\.1:\d+ (.*)\n", re.MULTILINE)


def site_for(ports: list[int], listen: int, access_log: Path) -> str:
    """The shipped site file with these app servers' ports, this listen port and this access log."""
    shipped = SITE.read_text(encoding="utf-8")
    first = UPSTREAM_SERVER.search(shipped)  # the shipped servers' lines give way to ours, where they stood
    indent, options = first.groups()
    servers = "".join(f"{indent}server 127.0.0.1:{port} {options}\n" for port in ports)
    rest = UPSTREAM_SERVER.sub("", shipped)
    text = rest[: first.start()] + servers + rest[first.start() :]
    text = re.sub(r"(?m)^(\s*)listen 80;", rf"\g<1>listen 127.0.0.1:{listen};", text)
    return re.sub(r"access_log \S+ placement;", f"access_log {access_log} placement;", text)


def main_config(folder: Path, site: Path) -> str:
    temp = {kind: folder / "temp" / kind for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")}
    for path in temp.values():
        path.mkdir(parents=True, exist_ok=True)
    temp_paths = "".join(f"    {kind}_temp_path {path};\n" for kind, path in temp.items())
    return (
        "daemon off;\nmaster_process off;\n"
        f"pid {folder / 'nginx.pid'};\nerror_log {folder / 'error.log'} info;\n"
        "events { worker_connections 512; }\n"
        f"http {{\n{temp_paths}    include {site};\n}}\n"
    )


@contextmanager
def nginx_proxy(folder: Path, app_urls: list[str], port: int | None = None):
    """nginx on a loopback port in front of the app servers at `app_urls`; yields (its url, its access log)."""
    folder.mkdir(parents=True, exist_ok=True)
    port = port or free_port()
    access_log = folder / "access.log"
    site = folder / "placement.conf"
    site.write_text(site_for([urlsplit(url).port for url in app_urls], port, access_log), encoding="utf-8")
    config = folder / "nginx.conf"
    config.write_text(main_config(folder, site), encoding="utf-8")
    command = [NGINX, "-p", str(folder), "-c", str(config), "-e", str(folder / "error.log")]
    with (folder / "nginx.out").open("w") as output:
        process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}"
        try:
            wait_healthy(url, process)
            yield url, access_log
        finally:
            process.terminate()
            process.wait(timeout=20)
