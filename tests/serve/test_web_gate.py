"""Who may open a tutor through ``serve web``: the class token, the name, the one-use ticket."""

from __future__ import annotations

import re

import pytest
from aiohttp.test_utils import TestClient, TestServer

from tests.serve.helpers import wait_no_session_processes
from tui_tutor.serve.classdir import ClassDir
from tui_tutor.serve.limits import Limits
from tui_tutor.serve.session import close_hosting, open_hosting
from tui_tutor.serve.web import WebClassServer

TOKEN = "a-class-token-of-some-length"


@pytest.fixture
async def web(tmp_path):
    """A client for a web class server that acts as if it listened beyond loopback (token on)."""
    class_dir = ClassDir(tmp_path / "class")
    class_dir.prepare()
    hosting = await open_hosting(class_dir, Limits(max_sessions=2), None)
    server = WebClassServer(hosting, TOKEN, loopback=False)
    client = TestClient(TestServer(await server._make_app()))
    await client.start_server()
    try:
        yield client, class_dir
    finally:
        await client.close()
        await close_hosting(hosting)


async def test_without_the_token_there_is_no_page(web):
    client, class_dir = web
    for query in ("/", "/?name=alice", "/?name=alice&token=wrong", f"/?name=alice&token={TOKEN[:-1]}"):
        response = await client.get(query)
        assert response.status == 403
        assert "full link your teacher gave you" in await response.text()
    assert list(class_dir.learners.iterdir()) == []


async def test_the_name_is_asked_once_then_remembered(web):
    client, _ = web
    form = await client.get(f"/?token={TOKEN}")
    text = await form.text()
    assert "Your name for this class" in text and f"value='{TOKEN}'" in text
    page = await client.get(f"/?token={TOKEN}&name=Alice")
    assert page.status == 200 and "/ws/" in await page.text()
    assert page.cookies["tui_tutor_learner"].value == "alice"
    again = await client.get(f"/?token={TOKEN}")  # the cookie stands in for the name
    assert "/ws/" in await again.text()


@pytest.mark.parametrize("name", ["../alice", "ålice", "a b", "x" * 33, "<script>"])
async def test_a_name_that_is_not_a_learner_name_is_asked_again(web, name):
    client, class_dir = web
    response = await client.get("/", params={"token": TOKEN, "name": name})
    text = await response.text()
    assert "cannot be a learner name" in text and "<script>" not in text
    assert list(class_dir.learners.iterdir()) == []


async def test_the_terminal_opens_once_per_page_and_only_from_the_same_origin(web):
    client, class_dir = web
    page = await (await client.get(f"/?token={TOKEN}&name=erin")).text()
    path = re.search(r"ws://[^/]+(/ws/[\w-]+)", page).group(1)
    response = await client.get(path, headers={"Origin": "http://evil.example"})
    assert response.status == 403  # and the ticket is spent
    again = await client.get(path)
    assert again.status == 403
    assert not (class_dir.learners / "erin").exists()
    forged = await client.get("/ws/not-a-ticket")
    assert forged.status == 403
    page = await (await client.get(f"/?token={TOKEN}&name=erin")).text()
    path = re.search(r"ws://[^/]+(/ws/[\w-]+)", page).group(1)
    socket = await client.ws_connect(path)
    first = await socket.receive(timeout=60)  # the tutor's first bytes
    assert first.type.name == "BINARY"
    await socket.close()
    assert (class_dir.learners / "erin").is_dir()
    assert wait_no_session_processes(class_dir.root) == []


async def test_on_loopback_a_foreign_host_name_is_turned_away(tmp_path):
    # DNS rebinding: a web page elsewhere whose name now points at 127.0.0.1.
    class_dir = ClassDir(tmp_path / "class")
    class_dir.prepare()
    hosting = await open_hosting(class_dir, Limits(), None)
    client = TestClient(TestServer(await WebClassServer(hosting, None, loopback=True)._make_app()))
    await client.start_server()
    try:
        assert (await client.get("/?name=alice", headers={"Host": "evil.example"})).status == 403
        assert (await client.get("/?name=alice")).status == 200
    finally:
        await client.close()
        await close_hosting(hosting)
