"""End to end: a learner takes a quiz question over SSH with the OpenSSH client, then leaves.

The attempt must be in that learner's store (read through tui_tutor.progress), no process of the
session may be left, and the connection log must say who, how long and why it ended — without
the answer typed.
"""

from __future__ import annotations

import json

from tests.serve.helpers import class_server, needs_ssh_client, ssh_argv, wait_no_session_processes
from tests.terminal import Terminal
from tui_tutor.content.loader import load_course
from tui_tutor.engine.worker import EngineWorker
from tui_tutor.progress.store import ProgressStore
from tui_tutor.quiz.plan import plan_quiz

pytestmark = needs_ssh_client
SEED = 1


def expected_answer() -> tuple[str, str]:
    """The first question of quiz SEED and its answer, as the engine computes it."""
    item = plan_quiz(load_course(None).concept(), 1, SEED)[0].item
    if item.answer is not None:
        return item.key, item.answer
    worker = EngineWorker(bound=30)
    try:
        text, _kind, _latex = worker.call("answers.variant_answer", dict(item.problem), item.kind, bound=30)
    finally:
        worker.close()
    return item.key, text


def test_a_quiz_answer_over_ssh_lands_in_the_learners_store_and_nothing_is_left(keyed_class):
    class_dir, keys = keyed_class
    item_key, answer = expected_answer()
    with class_server(class_dir) as server:
        argv = ssh_argv(server.port, "alice", keys["alice"], "-tt", "quiz", "--count", "1", "--seed", str(SEED))
        with Terminal(argv) as client:  # closed after: the learner closes the terminal, the connection drops
            assert client.wait_for("Question 1 of 1", timeout=60), client.text()
            assert client.wait_for("Type your answer", timeout=30), client.text()
            mark = client.mark()
            client.send(answer + "\r")
            assert client.wait_for("Correct", timeout=60, since=mark), client.text(mark)
        left = wait_no_session_processes(class_dir)
        assert left == [], f"processes of the session are still running: {left}"
        log = [json.loads(line) for line in (class_dir / "connections.log").read_text().splitlines()]

    with ProgressStore(class_dir / "learners" / "alice" / "progress.sqlite3") as store:
        attempts = store.attempts()
    assert [(a.item_id, a.correct) for a in attempts] == [(item_key, True)]
    assert not (class_dir / "learners" / "bob").exists()

    start, end = [entry for entry in log if entry.get("learner") == "alice"]
    assert start["event"] == "start" and start["args"] == f"quiz --count 1 --seed {SEED}"
    assert end["event"] == "end" and end["reason"] == "connection closed" and end["seconds"] > 0
    assert answer not in (class_dir / "connections.log").read_text()
    assert answer not in (class_dir / "serve.log").read_text()
