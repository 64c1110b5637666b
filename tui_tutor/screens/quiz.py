"""The quiz and review screen: one question at a time, feedback, hints, the solution, the summary.

Thin by design: :mod:`tui_tutor.quiz` plans the questions and keeps the session, the engine grades
(through ``app.compute``, in the worker process), :mod:`tui_tutor.progress` records each attempt
the moment it is graded, and the widgets draw. This module wires them to keys.

Keys work from the answer field (ctrl+...) and, after Esc leaves the field, as plain letters.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime, timezone
from typing import Any

from rich.text import Text
from textual import on
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Input, Static
from textual.worker import Worker

from tui_tutor.engine.errors import ParseError
from tui_tutor.progress.mistakes import explain, recurring_mistakes
from tui_tutor.progress.review import record_and_schedule
from tui_tutor.engine.bounds import GRADE, VARIANT
from tui_tutor.quiz.engine_calls import grade_call, needs_answer
from tui_tutor.quiz.progress_view import gate, mistake_titles, next_review, skill_titles
from tui_tutor.quiz.session import ENDED_EARLY, ENDED_TIME, QuizSession
from tui_tutor.quiz import summary_file
from tui_tutor.quiz.mistakes import invite_requests
from tui_tutor.quiz.summary_file import SummaryFile, learner_name
from tui_tutor.quiz.plan import new_seed
from tui_tutor.quiz.start import build_mistake_session, build_session, mistake_targets, nothing_to_ask
from tui_tutor.quiz.variants import answer_question
from tui_tutor.settings import QuizArgs
from tui_tutor.widgets.answer_box import AnswerBox
from tui_tutor.widgets.key_bar import KeyBar
from tui_tutor.widgets.question_view import QuestionView, guide_text
from tui_tutor.widgets.quiz_status import QuizStatus
from tui_tutor.widgets.quiz_summary import QuizSummary
from tui_tutor.widgets.store_notice import StoreNotice

log = logging.getLogger(__name__)

FIELD_KEYS = {"quiz-hint", "quiz-solution", "quiz-retry", "quiz-next", "quiz-mastery"}
LETTER_KEYS = {"quiz-hint-letter", "quiz-solution-letter", "quiz-retry-letter", "quiz-next-letter",
               "quiz-mastery-letter", "quiz-answer", "quiz-end"}  # fmt: skip
SUMMARY_KEYS = "n: a new quiz   r: review what is due   m: mastery   1: the lesson   q: quit"


class QuizScreen(Screen):
    """Take a quiz (``tui-tutor quiz``) or review what is due (``tui-tutor review``)."""

    CSS_PATH = "quiz.tcss"

    BINDINGS = [
        # From the answer field: control keys that no terminal or the text field takes for itself.
        Binding("ctrl+t", "hint", "Hint", id="quiz-hint"),
        Binding("ctrl+o", "solution", "Solution", id="quiz-solution"),
        Binding("ctrl+r", "retry", "Retry", id="quiz-retry"),
        Binding("ctrl+n", "next", "Next", id="quiz-next"),
        Binding("ctrl+g", "mastery", "Mastery", id="quiz-mastery"),
        # Outside the field (after Esc): plain letters.
        Binding("h", "hint", "Hint", id="quiz-hint-letter"),
        Binding("s", "solution", "Solution", id="quiz-solution-letter"),
        Binding("r", "retry", "Retry", id="quiz-retry-letter"),
        Binding("n", "next", "Next", id="quiz-next-letter"),
        Binding("a", "answer", "Answer", id="quiz-answer"),
        Binding("e", "end", "End quiz", id="quiz-end"),
        Binding("m", "mastery", "Mastery", id="quiz-mastery-letter"),
        # On the summary.
        Binding("n", "new_quiz", "New quiz", id="quiz-new"),
        Binding("r", "start_review", "Review due", id="quiz-review"),
    ]

    def __init__(self):
        super().__init__()
        self.session: QuizSession | None = None
        self.state = "loading"  # loading | question | summary | empty
        self._timer: Timer | None = None
        self._grading = False
        self._solving: dict[int, Worker] = {}
        self._args: Any = None
        self._out: SummaryFile | None = None  # quiz --out: the summary file of the first quiz only
        self._out_claimed = False

    def compose(self):
        yield QuizStatus("", id="quiz-status")
        yield StoreNotice("", id="quiz-notice")
        yield VerticalScroll(id="quiz-body")
        yield KeyBar()

    async def on_mount(self) -> None:
        await self.start(self.app.settings.quiz or QuizArgs())


    @property
    def ascii(self) -> bool:
        return bool(getattr(self.app, "ascii_mode", False))

    def _store(self):
        try:
            return self.app.ensure_store()
        except Exception:  # noqa: BLE001 - the quiz still runs without a store, and says so
            log.warning("progress store unavailable", exc_info=True)
            return None

    def _concept(self):
        course = self.app.course
        return course.concept() if course is not None else None

    def _key(self, key: str) -> str:
        return self.app.get_key_display(Binding(key, ""))


    # --- starting ---------------------------------------------------------------------------------

    async def start(self, args: Any) -> None:
        """Build a new session from ``args`` (count, minutes, seed, skill, review) and ask question 1."""
        self._stop_timer()
        self._args = args
        self._solving = {}
        self._update_notice()
        concept = self._concept()
        if concept is None:
            await self._show_message(f"The course could not be loaded.\n\n{self.app.course_error}", error=True)
            return
        store = self._store()
        now = store.now() if store is not None else datetime.now(timezone.utc)
        if (args.review or args.mistakes) and store is None:
            await self._show_message("Reviews need your progress file, which could not be opened.", error=True)
            return
        if args.mistakes:
            self.session = await self._mistakes_session(concept, store, args)
        else:
            self.session = build_session(
                concept, count=args.count, seed=args.seed, minutes=args.minutes, skill=args.skill,
                review=args.review, store=store, now=now,
            )  # fmt: skip
        if not self.session.questions:
            when = next_review(store) if store is not None and args.review else None
            problems = tuple(getattr(self.app.course, "problems", ()) or ())
            await self._show_message(nothing_to_ask(concept, review=args.review, skill=args.skill, next_due=when,
                                                    problems=problems, mistakes=args.mistakes))  # fmt: skip
            return
        self.session.start()
        self._attach_summary_file(args, concept)
        self._publish_interim()
        if self.session.minutes:
            self._timer = self.set_interval(1.0, self._tick)
        await self._show_question()

    async def _mistakes_session(self, concept, store, args) -> QuizSession:
        """A short set aimed at the learner's mistakes; the engine says which questions invite which."""
        if not mistake_targets(store, concept):
            return QuizSession([], mode="mistakes")
        await self._show_message("Choosing questions aimed at your mistakes...")
        seed = new_seed() if args.seed is None else args.seed
        try:
            invites = await self.app.compute("answers.likely_mistakes_by_id", invite_requests(concept, seed), bound=VARIANT)
        except Exception:  # noqa: BLE001 - without them the set trains the skills where the mistakes were made
            log.warning("could not work out which questions invite which mistakes", exc_info=True)
            invites = {}
        return build_mistake_session(concept, store, invites, count=args.count, seed=seed)

    async def _swap(self, widget) -> VerticalScroll:
        """Replace what the body shows (awaited, so the old widgets are gone before the new come)."""
        body = self.query_one("#quiz-body", VerticalScroll)
        await body.remove_children()
        await body.mount(widget)
        body.scroll_home(animate=False)
        return body

    async def _show_message(self, text: str, *, error: bool = False) -> None:
        self.state = "empty"
        body = await self._swap(Static(Text(text), id="quiz-message", classes="-error" if error else ""))
        body.focus()
        self._update_status()
        self.refresh_bindings()


    # --- one question -----------------------------------------------------------------------------

    def _view(self) -> QuestionView | None:
        found = self.query(QuestionView)
        return found.first() if found else None

    async def _show_question(self) -> None:
        session = self.session
        question = session.current
        self.state = "question"
        concept = self._concept()
        titles = ", ".join(concept.skill_title(s) for s in question.item.skills)
        view = QuestionView(
            question.item, session.index + 1, len(session.questions), skill_titles=titles,
            reason=question.reason, ascii=self.ascii,
        )  # fmt: skip
        await self._swap(view)
        self.call_after_refresh(self._after_show)
        for index in (session.index, session.index + 1):  # this variant's answer, and the next one's
            self._prefetch(index)

    def _after_show(self) -> None:
        view = self._view()
        if view is None:
            return
        view.answer_box.focus_input()
        self._update_guide()
        self._update_status()
        self.refresh_bindings()

    def _reveal(self, widget) -> None:
        """Scroll what just appeared into view (on a small terminal it may be below the fold)."""
        self.call_after_refresh(lambda: self.query_one("#quiz-body").scroll_to_widget(widget, animate=False))

    def _update_guide(self) -> None:
        view, question = self._view(), self.session.current if self.session else None
        if view is None or question is None:
            return
        typing = isinstance(self.focused, Input)
        keys = ("ctrl+t", "ctrl+o", "ctrl+n", "a") if typing else ("h", "s", "n", "a")
        names = dict(zip(("hint", "solution", "next", "answer"), (self._key(k) for k in keys)))
        view.set_guide(guide_text(question, last=self.session.is_last, keys=names, typing=typing))

    @on(AnswerBox.Submitted)
    async def _answered(self, event: AnswerBox.Submitted) -> None:
        event.stop()
        session, view = self.session, self._view()
        question = session.current if session else None
        if question is None or view is None or self._grading:
            return
        if question.correct:  # Enter after a right answer moves on
            await self.action_next()
            return
        box = view.answer_box
        if session.already_tried(event.text):
            box.show_feedback("That is the answer you just tried; change it, or ask for a hint.", None)
            return
        self._grading = True
        box.show_feedback("Checking...", None)
        name, args = grade_call(question.item, event.text)
        try:
            verdict = await self.app.compute(name, *args, cache=False, bound=GRADE)
        except ParseError:  # Enter grades at once, so the grader is what finds it unreadable
            box.show_unreadable()
            return
        except Exception as err:  # noqa: BLE001 - a timeout or a dead engine costs no attempt
            log.warning("grading failed", exc_info=True)
            box.show_feedback(f"Could not check this answer ({err}). It was not counted; try again.", None)
            return
        finally:
            self._grading = False
        if session.current is not question:  # time ran out while grading
            return
        if not verdict.counted:  # not judged (too few significant figures): like unreadable, no attempt
            box.show_feedback(verdict.message, None)
            return
        self._record(session.grade(event.text, verdict))
        view.show_verdict(verdict, mistake_title=mistake_titles(self._concept()).get(verdict.diagnosis or ""),
                          note=question.attempts[-1].note)
        self._reveal(view.query_one("#q-more") if view.query_one("#q-more").display else view.query_one("#feedback"))
        self._update_guide()
        self._update_status()
        self.refresh_bindings()

    def _record(self, attempt) -> None:
        """Commit the attempt and its review cards now: a crash after this loses nothing."""
        store = self._store()
        if store is not None:
            try:
                self.session.recorded(record_and_schedule(store, attempt))
            except Exception as err:  # noqa: BLE001 - say so; the quiz goes on
                log.warning("could not record an attempt", exc_info=True)
                self.notify(f"Could not save this answer: {err}", severity="error", timeout=10)
        self._update_notice()
        self._publish_interim()

    def _publish_interim(self) -> None:
        """Keep ``app.results`` (and the ``--out`` file) current, so the summary survives the app closing now."""
        if self.session is not None and self.session.ended is None:
            interim = self.session.summary(skill_titles(self._concept()))
            if self._out is not None and not self._out.update({**interim, "ended": "in progress"}):
                self.notify(f"The quiz summary is not being saved: {self._out.problem}", severity="error", timeout=10)
            interim["ended"] = "quit"
            self.app.results = interim

    def on_unmount(self) -> None:
        self._publish_interim()  # the time taken up to the moment the app closed
        if self._out is not None:
            terminated = self.app.return_code == getattr(self.app, "TERMINATED", None)
            self._out.close("terminated" if terminated else "quit")

    def _attach_summary_file(self, args: Any, concept) -> None:
        """``quiz --out FILE``: the quiz the command line asked for keeps its summary in FILE."""
        if self._out_claimed or args is not self.app.settings.quiz or not getattr(args, "out", None):
            if self._out is not None:
                self._out.close("quit")  # a second quiz in the same sitting never overwrites the first
                self._out = None
                summary_file.activate(None)
            return
        from tui_tutor.paths import home_dir

        self._out_claimed = True
        self._out = SummaryFile(args.out, learner=learner_name(args.name, home_dir()), concept=concept,
                                latest=self._summary_now)  # fmt: skip
        summary_file.activate(self._out)

    def _summary_now(self) -> dict | None:
        """The summary as it stands this moment (for the ``--out`` file as the tutor closes)."""
        if self.session is None:
            return None
        summary = self.session.summary(skill_titles(self._concept()))
        if summary["ended"] is None:
            summary["ended"] = "in progress"
        return summary


    # --- template variants ------------------------------------------------------------------------

    def _prefetch(self, index: int) -> Worker | None:
        """Start computing question ``index``'s variant answer (once); the worker, or None."""
        session = self.session
        if session is None or not 0 <= index < len(session.questions):
            return None
        running = self._solving.get(index)
        if running is not None and not running.is_finished:
            return running
        if not needs_answer(session.questions[index].item):
            return None
        work = answer_question(session, index, self._concept(), self.app.compute, lambda i: self._replaced(session, i))
        worker = self.run_worker(work, group="variants")
        self._solving[index] = worker
        return worker

    def _replaced(self, session: QuizSession, index: int) -> None:
        if session is self.session and index == session.index and self.state == "question":
            self.call_later(self._show_question)  # the learner sees the replacement variant

    # --- actions ----------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        """Show only the keys that do something now."""
        question = self.session.current if self.session and self.state == "question" else None
        if action in ("new_quiz", "start_review"):
            return self.state in ("summary", "empty")
        if action == "mastery":
            return True
        if question is None:
            return False
        if action == "hint":
            return question.hints_left > 0
        if action == "solution":
            return not question.solution_shown
        if action == "retry":
            return bool(question.attempts) and not question.correct
        if action == "answer":
            return not isinstance(self.focused, Input)
        return action in ("next", "end")

    @property
    def active_bindings(self):
        """The footer lists ctrl keys while typing and plain letters after Esc (both always work)."""
        bindings = super().active_bindings
        hide = LETTER_KEYS if isinstance(self.focused, Input) else FIELD_KEYS
        return {key: active for key, active in bindings.items() if active.binding.id not in hide}

    def on_descendant_focus(self) -> None:
        self.refresh_bindings()  # the footer and the guide name the keys that work from here
        self._update_guide()

    on_descendant_blur = on_descendant_focus

    def action_hint(self) -> None:
        view, revealed = self._view(), self.session.reveal_hint() if self.session else None
        if view is None or revealed is None:
            return
        tier, text = revealed
        hint = view.add_hint(tier, text)
        store = self._store()
        if store is not None:
            try:
                store.record_hint(self.session.current.item.key, tier)
            except Exception:  # noqa: BLE001
                log.warning("could not record a hint", exc_info=True)
            self._update_notice()
        self._reveal(hint)
        self._update_guide()
        self.refresh_bindings()

    async def action_solution(self) -> None:
        session, view = self.session, self._view()
        question = session.current if session else None
        if question is None or view is None or not session.show_solution():
            return
        if not question.attempts:  # giving up is evidence too: review brings the question back
            self._record(session.gave_up())
        worker = self._prefetch(session.index)
        if worker is not None:  # the solution names the variant's answer: wait for the engine
            view.answer_box.show_feedback("Working out the solution...", None)
            try:
                await worker.wait()
            except Exception:  # noqa: BLE001 - the solution is shown without the computed answer
                log.warning("variant answer failed", exc_info=True)
            view.answer_box.show_feedback("", None)
        solution = view.show_solution(question.item)
        self._reveal(solution)
        self._update_guide()
        self.refresh_bindings()

    def action_retry(self) -> None:
        view = self._view()
        if view is not None:
            view.clear_answer()
            view.answer_box.focus_input()
            self._update_guide()

    async def action_next(self) -> None:
        if self.session is None or self.state != "question":
            return
        if self.session.advance():
            await self._show_question()
        else:
            await self._show_summary()

    async def action_end(self) -> None:
        if self.session is not None and self.state == "question":
            self.session.finish(ENDED_EARLY)
            await self._show_summary()

    def action_answer(self) -> None:
        view = self._view()
        if view is not None:
            view.answer_box.focus_input()

    def action_mastery(self) -> None:
        from tui_tutor.screens.mastery import MasteryScreen

        store = self._store()
        self.app.push_screen(
            MasteryScreen(self._gate(), mistakes=self._mistakes(store), now=store.now() if store else None, ascii=self.ascii),
            self._from_mistakes,
        )  # fmt: skip

    def _mistakes(self, store) -> list:
        """The learner's recurring mistakes, named and tied to the lesson (for My mistakes)."""
        if store is None or self._concept() is None:
            return []
        try:
            return explain(recurring_mistakes(store.attempts()), self._concept())
        except Exception:  # noqa: BLE001 - a view; a read error must not end the quiz
            log.warning("could not read the mistakes", exc_info=True)
            return []

    async def _from_mistakes(self, choice) -> None:
        """What the learner chose in My mistakes: a practice set aimed at them, or a section to reread."""
        if not choice:
            return
        what, page = choice
        if what == "practise":
            await self.start(QuizArgs(mistakes=True))
        elif what == "section":
            self.app.set_setting("lesson_page", page)
            self.app.action_open("lesson")
            self.app.call_after_refresh(lambda: _open_lesson_page(self.app, page))

    async def action_new_quiz(self) -> None:
        base = self._args or QuizArgs()
        # A new seed; after "no questions train that skill", a quiz on every skill.
        skill = None if self.state == "empty" else base.skill
        await self.start(replace(base, review=False, mistakes=False, seed=None, skill=skill))

    async def action_start_review(self) -> None:
        await self.start(replace(self._args or QuizArgs(), review=True, mistakes=False, seed=None))

    def leave_field(self) -> None:
        """Esc from the answer field: letters work now, arrows scroll."""
        self.query_one("#quiz-body").focus()


    # --- the clock, the status line and the notice ------------------------------------------------

    def _tick(self) -> None:
        session = self.session
        if session is None or session.ended is not None:
            self._stop_timer()
            return
        if session.out_of_time:
            session.finish(ENDED_TIME)
            self._stop_timer()
            # Not awaited here: a timer's callback must not wait on the DOM it is part of.
            self.call_later(self._show_summary)
            self.notify("Time is up.", timeout=5)
            return
        self._update_status()

    def _stop_timer(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def _update_status(self) -> None:
        review = bool(self._args and self._args.review)
        self.query_one(QuizStatus).show(self.session, self.state, review=review, ascii=self.ascii)

    def _update_notice(self) -> None:
        """The store's notice (damaged file moved aside, or not saving) stays in view."""
        self.query_one(StoreNotice).show(self.app.store, ascii=self.ascii)


    # --- the end ----------------------------------------------------------------------------------

    def _gate(self):
        store, course = self._store(), self.app.course
        if store is None or course is None:
            return None
        try:
            return gate(store, course)
        except Exception:  # noqa: BLE001 - bars are a view; a read error must not end the quiz
            log.warning("could not read mastery", exc_info=True)
            return None

    async def _show_summary(self) -> None:
        self._stop_timer()
        self.state = "summary"
        summary = self.session.summary(skill_titles(self._concept()))
        found = self._gate()
        summary.update(found.to_dict() if found is not None else {})
        self.app.results = summary
        if self._out is not None:
            self._out.update(summary)
        titles = mistake_titles(self._concept())
        body = await self._swap(QuizSummary(summary, found, mistake_titles=titles, guide=SUMMARY_KEYS, ascii=self.ascii))
        body.focus()
        self._update_status()
        self.refresh_bindings()


def _open_lesson_page(app, page: str) -> None:
    """Show ``page`` on the lesson screen (already open: the saved position is read only when it is made)."""
    show = getattr(app.screen, "show_page", None)
    if show is not None and any(p.id == page for p in getattr(app.screen, "pages", ())):
        show(page)
