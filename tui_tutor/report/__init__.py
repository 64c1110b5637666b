"""The teacher's reports: a quiz a class took (its summary files), or a hosted class (its stores).

``summaries`` reads and checks quiz summary files; ``quiz_report`` and ``class_report`` build the
tables; ``tables`` draws them for the terminal, CSV or JSON; ``command`` is ``tui-tutor report``.
Learners' progress stores are read only through :mod:`tui_tutor.progress.reader` (read-only).
"""
