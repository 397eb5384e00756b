"""Serve a built site with real nginx and the repository's own configuration (scripts/nginx.conf).

Used by the tests (tests/conftest.py) and the benchmark (scripts/bench.py): nginx runs in the
foreground as a child process, on 127.0.0.1, with its pid file, error log and temp files in a
temp dir (no system service, nothing under /etc or /var is touched).

    with serve(site_dir, port, work_dir) as url:   # url: "http://127.0.0.1:<port>/"
        ...
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

CONFIG = Path(__file__).resolve().parents[1] / "nginx.conf"  # scripts/nginx.conf: deployed as is
BROTLI_MODULE = Path("/usr/lib/nginx/modules/ngx_http_brotli_static_module.so")


class NginxError(RuntimeError):
    """nginx is missing or did not start; the message says why."""


def executable() -> str:
    """The nginx binary, with the Brotli module the configuration loads."""
    path = shutil.which("nginx", path=f"{os.environ.get('PATH', '')}:/usr/sbin")
    if path is None or not BROTLI_MODULE.is_file():
        raise NginxError("nginx with libnginx-mod-http-brotli-static is needed: scripts/dev test "
                         "installs both (apt-get install nginx libnginx-mod-http-brotli-static)")
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def render(site_dir: Path, listen: str) -> str:
    """scripts/nginx.conf with its placeholders filled in."""
    text = CONFIG.read_text("utf-8")
    for key, value in (("@LISTEN@", listen), ("@ROOT@", str(site_dir.resolve()))):
        if key not in text:
            raise NginxError(f"{CONFIG} has no {key}")
        text = text.replace(key, value)
    return text


def _die_with_parent() -> None:
    """In the child: nginx gets SIGTERM when the process that started it dies (Linux), so that a
    killed test run or benchmark leaves no server behind."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


@contextlib.contextmanager
def serve(site_dir: Path, port: int, work_dir: Path, *, timeout: float = 60) -> Iterator[str]:
    """Run nginx for ``site_dir`` on 127.0.0.1:``port`` until the block ends."""
    with socket.socket() as probe:  # a port already taken would pass for nginx listening
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError as exc:
            raise NginxError(f"port {port} is taken: {exc}") from None
    work_dir.mkdir(parents=True, exist_ok=True)
    (work_dir / "temp").mkdir(exist_ok=True)
    conf = work_dir / "nginx.conf"
    conf.write_text(render(site_dir, f"127.0.0.1:{port}"), "utf-8")
    directives = f"daemon off; pid {work_dir / 'nginx.pid'};"
    if os.geteuid() == 0:
        # Workers would otherwise run as nobody, who cannot read a private temp dir.
        directives += " user root;"
    log = work_dir / "error.log"
    proc = subprocess.Popen(
        [executable(), "-p", str(work_dir), "-c", str(conf), "-e", str(log), "-g", directives],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        preexec_fn=_die_with_parent,
    )
    try:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                raise NginxError(f"nginx exited ({proc.returncode}): {proc.stderr.read()}"
                                 f"{log.read_text() if log.is_file() else ''}")
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
                break
            if time.monotonic() > deadline:
                raise NginxError(f"nginx did not listen on {port} within {timeout} s")
            time.sleep(0.05)
        yield f"http://127.0.0.1:{port}/"
    finally:
        proc.terminate()  # SIGTERM: nginx's fast shutdown
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
