"""keys.yaml in the settings folder remaps keys by binding id."""

from __future__ import annotations

import os

from tui_tutor.app import Settings, make_app
from tui_tutor.keymap import binding_scopes, read_keymap


async def test_a_keymap_file_remaps_a_lesson_key(tmp_path, monkeypatch):
    monkeypatch.setenv("TUI_TUTOR_HOME", str(tmp_path))
    (tmp_path / "keys.yaml").write_text("lesson-next: j\n")
    app = make_app(Settings(start="lesson"))
    async with app.run_test(size=(80, 24)) as pilot:
        first = app.screen.page_id
        await pilot.press("j")
        assert app.screen.page_id != first
        await pilot.press("n")  # the old key no longer turns the page
        assert app.screen.page_id == app.screen.pages[1].id


def test_a_broken_keymap_is_reported_not_obeyed(tmp_path):
    (tmp_path / "keys.yaml").write_text("lesson-next: [j, k\n")
    keymap, problem = read_keymap(tmp_path)
    assert keymap == {} and ("keys.yaml:2" in problem or "keys.yaml:1" in problem)


def test_a_python_tag_in_the_keymap_runs_nothing(tmp_path):
    marker = tmp_path / "pwned"
    (tmp_path / "keys.yaml").write_text(f"x: !!python/object/apply:os.system ['touch {marker}']\n")
    keymap, problem = read_keymap(tmp_path)
    assert keymap == {} and problem and not marker.exists()


def test_no_keymap_file_means_the_default_keys(tmp_path):
    assert read_keymap(tmp_path) == ({}, None)


# --- keys.yaml is untrusted input (issue 12) --------------------------------------------------------


def test_a_key_name_with_a_terminal_escape_is_refused_at_its_line_and_never_shown_raw(tmp_path):
    (tmp_path / "keys.yaml").write_text('lesson-next: j\nlesson-prev: "\\e]0;pwned\\a"\n')
    keymap, problem = read_keymap(tmp_path)
    assert keymap == {"lesson-next": "j"}
    assert "keys.yaml:2" in problem and "\x1b" not in problem and "\x07" not in problem


def test_a_raw_control_character_in_the_file_is_refused(tmp_path):
    (tmp_path / "keys.yaml").write_text("lesson-next: j\nlesson-prev: \x1b[31m\n")
    keymap, problem = read_keymap(tmp_path)
    assert keymap == {} and "keys.yaml:2" in problem and "\x1b" not in problem


def test_unknown_ids_and_non_keys_are_reported_by_line(tmp_path):
    (tmp_path / "keys.yaml").write_text("lesson-nxt: j\nlesson-prev: ctrl+banana\nquiz-hint: ctrl+y\n")
    keymap, problem = read_keymap(tmp_path)
    assert keymap == {"quiz-hint": "ctrl+y"}
    assert "keys.yaml:1: no binding has the id 'lesson-nxt'" in problem
    assert "keys.yaml:2: lesson-prev: 'ctrl+banana' is not a key name" in problem


def test_a_key_another_binding_on_the_screen_has_is_a_conflict_not_obeyed(tmp_path):
    (tmp_path / "keys.yaml").write_text("lesson-next: q\nlesson-prev: k\n")
    keymap, problem = read_keymap(tmp_path)
    assert keymap == {"lesson-prev": "k"}
    assert "keys.yaml:1: lesson-next: 'q' is already quit's key on the lesson screen" in problem


def test_ctrl_q_always_quits_and_cannot_be_taken(tmp_path):
    (tmp_path / "keys.yaml").write_text("lesson-next: ctrl+q\n")
    keymap, problem = read_keymap(tmp_path)
    assert keymap == {} and "ctrl+q is kept for quitting" in problem


def test_a_fifo_named_keys_yaml_is_refused_without_waiting(tmp_path):
    os.mkfifo(tmp_path / "keys.yaml")
    keymap, problem = read_keymap(tmp_path)
    assert keymap == {} and "not a regular file (a FIFO)" in problem


async def test_binding_every_key_to_q_cannot_trap_the_learner(tmp_path, monkeypatch):
    monkeypatch.setenv("TUI_TUTOR_HOME", str(tmp_path))
    ids = sorted({i for scope in binding_scopes().values() for i in scope})
    (tmp_path / "keys.yaml").write_text("".join(f"{i}: q\n" for i in ids))
    app = make_app(Settings(start="lesson"))
    async with app.run_test(size=(80, 24)) as pilot:
        notes = " ".join(str(n.message) for n in app._notifications)
        assert "problem(s), not used" in notes
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running  # q still quits: the lines that took it were refused


async def test_ctrl_q_quits_from_inside_a_text_field(tmp_path, monkeypatch):
    monkeypatch.setenv("TUI_TUTOR_HOME", str(tmp_path))
    app = make_app(Settings(start="scratch"))
    async with app.run_test(size=(80, 24)) as pilot:
        from textual.widgets import Input

        app.screen.query(Input).first().focus()
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert not app.is_running
