"""When the engine times out or its worker dies, the learner reads one line and the log file gets
the details; before, the log call wrote its traceback over the screen (logging went to stderr)."""

from __future__ import annotations

import pytest

from tests.engine_double import EngineDouble
from tests.quiz.helpers import until
from tests.screens.test_quiz import current, quiz_app, skip_to, started
from tui_tutor.app import ScratchArgs, Settings, make_app
from tui_tutor.engine.worker import EngineTimeout, EngineUnavailable
from tui_tutor.logfile import configure
from tui_tutor.widgets.question_view import QuestionView


class FailingEngine(EngineDouble):
    """The real engine, except that the named calls fail as a stuck or dead worker would."""

    def __init__(self, error: Exception, *names: str):
        super().__init__()
        self.error, self.names = error, names

    def call(self, name, *args, **kwargs):
        if name in self.names:
            raise self.error
        return self.real.call(name, *args, **kwargs)


FAILURES = [EngineTimeout(5.0), EngineUnavailable("the maths engine stopped unexpectedly")]


def _logged(home) -> str:
    return (home / "tui-tutor.log").read_text()


@pytest.mark.parametrize("error", FAILURES, ids=["timeout", "worker-died"])
async def test_grading_and_preview_failures_are_one_line_and_logged(tmp_path, error):
    home = tmp_path / "home"
    configure(home)
    app = quiz_app(count=4)
    app.engine = FailingEngine(error, "service.grade_answer", "service.grade_problem", "service.preview")
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        await skip_to(pilot, "jacobian-at-point")
        box = app.screen.query_one(QuestionView).answer_box
        await pilot.press(*"[10, 5]")
        preview = box.query_one("#preview")
        await until(pilot, lambda: "could not read this" in str(preview.render()), what="the preview's failure")
        await pilot.press("enter")
        feedback = box.query_one("#feedback")
        await until(pilot, lambda: "not counted" in str(feedback.render()), what="the grading failure")
        for line in (str(preview.render()), str(feedback.render())):
            assert "\n" not in line and "Traceback" not in line and str(error) in line
        assert current(app).attempts == []
    logged = _logged(home)
    assert "grading failed" in logged and "preview failed" in logged and "Traceback" in logged


@pytest.mark.parametrize("error", FAILURES, ids=["timeout", "worker-died"])
async def test_a_scratchpad_failure_is_one_line_and_logged(tmp_path, error):
    home = tmp_path / "home"
    configure(home)
    app = make_app(Settings(start="scratch", scratch=ScratchArgs(["x1^2 + x2, x1*x2", "u1 + u2^2"], "1,2", "")))
    app.engine = FailingEngine(error, "scratch.work")
    async with app.run_test(size=(100, 40)) as pilot:
        problem = app.screen.query_one("#problem")
        await until(pilot, lambda: problem.display and str(error) in str(problem.render()), what="the problem line")
        assert "Traceback" not in str(problem.render())
    assert "scratchpad computation failed" in _logged(home) and "Traceback" in _logged(home)
