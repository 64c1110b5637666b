"""keys.yaml in the settings folder remaps keys by binding id."""

from __future__ import annotations

from tui_tutor.app import Settings, make_app
from tui_tutor.keymap import read_keymap


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
    assert keymap == {} and "keys.yaml:2" in problem or "keys.yaml:1" in problem


def test_a_python_tag_in_the_keymap_runs_nothing(tmp_path):
    marker = tmp_path / "pwned"
    (tmp_path / "keys.yaml").write_text(f"x: !!python/object/apply:os.system ['touch {marker}']\n")
    keymap, problem = read_keymap(tmp_path)
    assert keymap == {} and problem and not marker.exists()


def test_no_keymap_file_means_the_default_keys(tmp_path):
    assert read_keymap(tmp_path) == ({}, None)
