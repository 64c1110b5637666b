"""Moments as a person says them: "just now", "3 hours ago", "yesterday", "12 days ago", "2026-01-04"."""

from __future__ import annotations

from datetime import datetime

from tui_tutor.progress.records import as_utc


def ago(moment: datetime | None, now: datetime) -> str:
    """How long before ``now`` ``moment`` was (both timezone-aware); "never" for None."""
    if moment is None:
        return "never"
    seconds = (as_utc(now) - as_utc(moment)).total_seconds()
    if seconds < 90:  # a moment a little ahead (another machine's clock) is "just now" too
        return "just now"
    if seconds < 3600:
        return f"{int(seconds // 60)} min ago"
    if seconds < 86400:
        hours = int(seconds // 3600)
        return f"{hours} hour{'s' if hours != 1 else ''} ago"
    days = int(seconds // 86400)
    if days == 1:
        return "yesterday"
    if days < 60:
        return f"{days} days ago"
    return as_utc(moment).date().isoformat()


__all__ = ["ago"]
