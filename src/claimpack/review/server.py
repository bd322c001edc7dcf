"""The workbench's web server: Starlette pages and a small JSON API, served by uvicorn on 127.0.0.1 only.

Security (the page shows a paper by someone else, and its actions write files):
- the socket is bound to 127.0.0.1 and nothing else;
- every request must carry the secret token as the first segment of its path (the printed
  address holds it); anything else is refused with 403;
- the Host header must name 127.0.0.1 or localhost with the bound port: a page of another site
  that rebinds its name to 127.0.0.1 (DNS rebinding) is refused;
- a state-changing request (POST) must also carry the token in the X-Claimpack-Token header, come
  from the same origin (Origin, and Sec-Fetch-Site when the browser sends it) and be JSON;
- every response forbids loading anything from elsewhere (Content-Security-Policy: default-src
  'none', scripts, styles and images from this origin only, no inline script), framing,
  sniffing, referrers and caching;
- templates are Jinja2 with autoescape on, and the page's script writes text only with
  textContent: nothing from the paper or the package is ever markup.
"""

from __future__ import annotations

import hmac
import json
import os
import secrets
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from ..system.problems import ClaimpackError
from . import views
from .workbench import Refused, Workbench

HERE = Path(__file__).resolve().parent
STATIC = {"app.js": "text/javascript; charset=utf-8", "app.css": "text/css; charset=utf-8",
          "favicon.svg": "image/svg+xml"}
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
       "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cache-control", b"no-store"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
]
MAX_BODY = 1 << 20


class Guard:
    """ASGI middleware: the token, the Host, the origin of state changes, and the headers of every response."""

    def __init__(self, app, token: str, port: int):
        self.app = app
        self.token = token
        self.port = port

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            if scope["type"] == "lifespan":
                await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        why = self.refusal(scope, headers)
        if why is not None:
            response = PlainTextResponse(f"refused: {why}\n", status_code=403)
            await self._send(response, scope, receive, send)
            return

        async def guarded(message):
            if message["type"] == "http.response.start":
                message = dict(message)
                message["headers"] = [*[(k, v) for k, v in message.get("headers", [])
                                        if k.lower() not in {h for h, _ in HEADERS}], *HEADERS]
            await send(message)

        await self.app(scope, receive, guarded)

    async def _send(self, response: Response, scope, receive, send):
        async def with_headers(message):
            if message["type"] == "http.response.start":
                message = dict(message)
                message["headers"] = [*message.get("headers", []), *HEADERS]
            await send(message)

        await response(scope, receive, with_headers)

    def hosts(self) -> set[str]:
        return {f"127.0.0.1:{self.port}", f"localhost:{self.port}"}

    def refusal(self, scope, headers: dict[str, str]) -> str | None:
        """Why a request is refused, or None."""
        if headers.get("host", "") not in self.hosts():
            return "the Host header must be 127.0.0.1 with the workbench's port (DNS rebinding?)"
        path = scope.get("path", "")
        segment = path[1:].split("/", 1)[0] if path.startswith("/") else ""
        if not hmac.compare_digest(segment.encode(), self.token.encode()):
            return "the address lacks the workbench's token (use the address `claimpack review` printed)"
        method = scope.get("method", "GET")
        if method in ("GET", "HEAD"):
            return None
        if method != "POST":
            return f"method {method} is not allowed"
        if not hmac.compare_digest(headers.get("x-claimpack-token", "").encode(), self.token.encode()):
            return "a change needs the token in the X-Claimpack-Token header"
        origin = headers.get("origin", "")
        if origin not in {f"http://{host}" for host in self.hosts()} or origin != f"http://{headers['host']}":
            return "a change must come from the workbench's own page (Origin)"
        if headers.get("sec-fetch-site", "same-origin") != "same-origin":
            return "a change must come from the workbench's own page (Sec-Fetch-Site)"
        if headers.get("content-type", "").split(";")[0].strip() != "application/json":
            return "a change must be sent as JSON"
        return None


class FullCheck:
    """`claimpack validate` on the package, in the background, once the reviewer pauses: its verdict and
    its saved result (what `build` then reads instead of validating again)."""

    IDLE = 2.0  # seconds without an action before the full validation starts

    def __init__(self, root: Path):
        self.root = root
        self.state = {"state": "waiting", "errors": None, "warnings": None, "seconds": None, "at": None,
                      "problems": []}
        self.generation = 0
        self.lock = threading.Lock()
        self.wake = threading.Event()
        self.process: subprocess.Popen | None = None
        self.stopped = False
        self.thread = threading.Thread(target=self._loop, daemon=True, name="claimpack-full-check")
        self.thread.start()

    def schedule(self) -> None:
        with self.lock:
            self.generation += 1
            self.state = {**self.state, "state": "waiting"}
        self.wake.set()

    def stop(self) -> None:
        self.stopped = True
        self.wake.set()
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()

    def _loop(self) -> None:
        while not self.stopped:
            self.wake.wait()
            self.wake.clear()
            while not self.stopped:
                generation = self.generation
                time.sleep(self.IDLE)
                if generation != self.generation:
                    continue  # another action came: wait for the pause
                self._run(generation)
                if generation == self.generation:
                    break

    def _run(self, generation: int) -> None:
        with self.lock:
            self.state = {**self.state, "state": "running"}
        started = time.perf_counter()
        # -P: the folder review runs in (the package's, often) is not on sys.path, so a claimpack/ planted there is
        # not what runs; the package after --, by absolute path: a folder named "--docs=x" is no option
        self.process = subprocess.Popen([sys.executable, "-P", "-m", "claimpack", "validate", "--json", "--",
                                         os.path.abspath(self.root)],
                                        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
        out, _ = self.process.communicate()
        try:
            report = json.loads(out or b"{}")
        except ValueError:
            report = {}
        with self.lock:
            if generation != self.generation:
                return  # the files changed meanwhile: this verdict is of a package that is gone
            problems = [p for p in report.get("problems", []) if p.get("severity") == "error"]
            self.state = {"state": ("valid" if report.get("valid") else "invalid") if report else "failed",
                          "errors": len(problems), "warnings": report.get("warnings"),
                          "seconds": round(time.perf_counter() - started, 1), "at": time.strftime("%H:%M:%S"),
                          "problems": [line(p) for p in problems[:50]]}


def line(problem: dict) -> str:
    place = problem.get("file", "") + (f":{problem['row']}" if problem.get("row") is not None else "")
    text = f"{place}: {problem['field']}: {problem.get('message')}" if problem.get("field") else \
        f"{place}: {problem.get('message')}"
    return text + (f" (expected {problem['expected']})" if problem.get("expected") else "")


def create_app(workbench: Workbench, token: str, port: int, *, full_check: bool = True) -> Guard:
    """The workbench as an ASGI application (guarded) for a socket bound to 127.0.0.1:port."""
    base = f"/{token}"
    checker = FullCheck(workbench.root) if full_check else None
    env = views.environment()

    def url(*parts: str) -> str:
        return base + "/" + "/".join(quote(part, safe="") for part in parts)

    def render(name: str, status: int = 200, **context) -> HTMLResponse:
        with workbench.lock:
            context.update(views.common(workbench, url, token, checker.state if checker else None))
            return HTMLResponse(env.get_template(name).render(**context), status_code=status)

    async def home(request: Request) -> Response:
        target = await run_in_threadpool(workbench.resume)
        if target is None or workbench.next_candidate() is None:  # nothing left to review: what a release needs
            return RedirectResponse(url("package"), status_code=303)
        return RedirectResponse(url("record", target), status_code=303)

    async def record(request: Request) -> Response:
        await run_in_threadpool(workbench.refresh)  # a page shows the package as it is on disk now
        key = request.path_params["record_id"]
        if key not in workbench.rows:
            return render("missing.html", record_id=key, status=404)
        workbench.remember(key)
        done = request.query_params.get("done", "")
        outcome = workbench.outcomes.get(int(done)) if done.isdigit() else None
        return await run_in_threadpool(lambda: render("record.html", card=views.card(workbench, key, url),
                                                      outcome=outcome))

    async def package(request: Request) -> Response:
        await run_in_threadpool(workbench.refresh)  # a page shows the package as it is on disk now
        done = request.query_params.get("done", "")
        outcome = workbench.outcomes.get(int(done)) if done.isdigit() else None
        return await run_in_threadpool(lambda: render("package.html", about=views.about_view(workbench, url),
                                                      outcome=outcome))

    async def paper(request: Request) -> Response:
        await run_in_threadpool(workbench.refresh)  # a page shows the package as it is on disk now
        return await run_in_threadpool(lambda: render("paper.html", paper=views.paper_view(workbench, url)))

    async def batch(request: Request) -> Response:
        await run_in_threadpool(workbench.refresh)  # a page shows the package as it is on disk now
        rule = request.query_params.get("rule", "")
        value = request.query_params.get("value", "")
        reason = request.query_params.get("reason", "not-a-figure")
        preview, error = None, None
        if rule:
            try:
                preview = await run_in_threadpool(lambda: [views.summary(workbench, row, url)
                                                           for row in workbench.matching(rule, value)])
            except Refused as refused:
                error = str(refused)
        from .reasons import LABELS

        if reason not in LABELS:
            reason = "not-a-figure"
        return await run_in_threadpool(lambda: render("batch.html", rule=rule, value=value, reason=reason,
                                                      preview=preview, error=error, reasons=list(LABELS.items()),
                                                      reason_label=LABELS[reason],
                                                      sections=list(dict.fromkeys(
                                                          row.cells.get("section", "") for row in
                                                          workbench.rows.values() if row.status == "candidate"))))

    async def page_image(request: Request) -> Response:
        from .pdfpage import page_png

        key = request.path_params["record_id"]
        whole = request.query_params.get("whole") == "1"
        png = await run_in_threadpool(lambda: page_png(workbench, key, whole))
        if png is None:
            return PlainTextResponse("no page image for this record\n", status_code=404)
        return Response(png, media_type="image/png")

    async def static(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in STATIC:
            return PlainTextResponse("not found\n", status_code=404)
        return Response((HERE / "static" / name).read_bytes(), media_type=STATIC[name])

    async def status(request: Request) -> Response:
        with workbench.lock:
            log = workbench.log()
            return JSONResponse({"counts": workbench.counts(), "full_check": checker.state if checker else None,
                                 "last_action": max((e.action or 0 for e in log), default=0),
                                 "ready": workbench.ready.is_set()})

    async def act(request: Request) -> Response:
        name = request.path_params["action"]
        body = await request.body()
        if len(body) > MAX_BODY:
            return JSONResponse({"ok": False, "message": "request too large"}, status_code=413)
        try:
            data = json.loads(body or b"{}")
            if not isinstance(data, dict):
                raise ValueError
        except ValueError:
            return JSONResponse({"ok": False, "message": "the request is not a JSON object"}, status_code=400)
        try:
            outcome = await run_in_threadpool(lambda: dispatch(workbench, name, data))
        except Refused as refused:
            return JSONResponse({"ok": False, "message": str(refused), "problems": [
                {"line": p.line(), "severity": p.severity, "field": p.field} for p in refused.problems]},
                status_code=refused.status)
        except ClaimpackError as error:
            return JSONResponse({"ok": False, "message": str(error), "problems": []}, status_code=400)
        if checker is not None:
            checker.schedule()
        result = outcome.to_dict()
        if outcome.go and outcome.go in workbench.rows:
            page = url("record", outcome.go)
        elif "package" in outcome.records or workbench.next_candidate() is None:
            page = url("package")  # the package's own fields, or nothing left to review: what a release needs
        else:
            page = url("paper")
        result["url"] = page + f"?done={outcome.action}"
        return JSONResponse(result)

    routes = [
        Route(base, home), Route(base + "/", home),
        Route(base + "/record/{record_id}", record),
        Route(base + "/paper", paper),
        Route(base + "/package", package),
        Route(base + "/batch", batch),
        Route(base + "/page/{record_id}.png", page_image),
        Route(base + "/static/{name}", static),
        Route(base + "/api/status", status),
        Route(base + "/api/{action}", act, methods=["POST"]),
    ]
    app = Starlette(routes=routes)
    app.state.full_check = checker
    return Guard(app, token, port)


def dispatch(workbench: Workbench, name: str, data: dict):
    """Run one action of the API on the workbench."""

    def text(key: str) -> str:
        value = data.get(key, "")
        if not isinstance(value, str):
            raise Refused(f"{key} must be text", status=400)
        return value

    version = data.get("version") if isinstance(data.get("version"), str) else None
    if name == "accept":
        return workbench.accept(text("id"), version)
    if name == "reject":
        return workbench.reject(text("id"), version, text("reason"))
    if name == "edit":
        fields = data.get("fields")
        if not isinstance(fields, dict) or not all(isinstance(v, str) for v in fields.values()):
            raise Refused("fields must be an object of text", status=400)
        return workbench.edit(text("id"), version, fields)
    if name == "add":
        try:
            block, start, end = int(data.get("block")), int(data.get("start")), int(data.get("end"))
        except (TypeError, ValueError):
            raise Refused("block, start and end must be numbers", status=400) from None
        return workbench.add(block, start, end)
    if name == "verdict":
        return workbench.verdict(text("id"), version, text("verdict"), text("note"), text("evidence"),
                                 text("value"))
    if name == "about":
        authors = data.get("authors")
        if not isinstance(authors, list) or not all(isinstance(a, dict) and all(isinstance(a.get(k, ""), str)
                                                                               for k in ("name", "organization"))
                                                    for a in authors):
            raise Refused("authors must be a list of {name, organization}", status=400)
        return workbench.about(version, text("title"), text("licence"),
                               [(a.get("name", ""), a.get("organization", "")) for a in authors],
                               text("date") if "date" in data else None)
    if name == "undo":
        expected = data.get("last")
        return workbench.undo(expected if isinstance(expected, int) else None)
    if name == "batch":
        records = data.get("records")
        if not isinstance(records, list) or not all(isinstance(r, dict) and isinstance(r.get("id"), str)
                                                    for r in records):
            raise Refused("records must be a list of {id, version}", status=400)
        return workbench.reject_many([(r["id"], r.get("version") if isinstance(r.get("version"), str) else None)
                                      for r in records], text("reason"))
    raise Refused(f"no action {name!r}", status=404)


def serve(root: Path, *, port: int = 0, by: str, open_browser: bool = True, say=print,
          full_check: bool = True) -> None:
    """Bind 127.0.0.1:port (0: any free port), print the address with its token, and serve until interrupted."""
    import socket

    import uvicorn

    workbench = Workbench(root, by)
    token = secrets.token_urlsafe(24)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(("127.0.0.1", port))
    except OSError as exc:
        sock.close()
        raise ClaimpackError(f"cannot listen on 127.0.0.1:{port}: {exc.strerror}",
                             expected="a free port (--port 0 picks one)") from None
    sock.listen(64)
    bound = sock.getsockname()[1]
    app = create_app(workbench, token, bound, full_check=full_check)
    from .pdfpage import warm as pages

    # warm before the address is printed: once it is, every action answers within its round trip
    workbench.start()
    threading.Thread(target=lambda: pages(workbench), daemon=True, name="claimpack-pages").start()
    address = f"http://127.0.0.1:{bound}/{token}/"
    say(f"claimpack review: {address} (Ctrl-C stops)")
    if open_browser:
        import webbrowser

        threading.Timer(0.5, lambda: webbrowser.open(address)).start()
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off", server_header=False,
                            date_header=False)
    server = uvicorn.Server(config)
    try:
        server.run(sockets=[sock])
    finally:
        if app.app.state.full_check is not None:
            app.app.state.full_check.stop()
        workbench.checker.close()
        sock.close()
