"""Hosting a class: ``tui-tutor serve ssh`` and ``tui-tutor serve web``.

A layer above the app, not inside it. Each learner who connects gets an ordinary ``tui-tutor``
process (with its own engine worker) whose ``TUI_TUTOR_HOME`` is ``DIR/learners/<name>``; this
package moves bytes between the connection and that process and knows nothing of screens.

- ``names``       which learner names are accepted (they become folder names)
- ``classdir``    the class folder: host key, authorized keys, passphrase, web token, learners
- ``limits``      what a teacher can limit, and the environment and arguments a tutor gets
- ``spawner``     a small subreaper process that starts every tutor and ends every process tree
- ``session``     one learner's session: pty or pipes, idle timeout, limits, notices, the log
- ``ssh``         the SSH server (asyncssh): who may log in, what a connection may open
- ``ssh_session`` one SSH session channel: the tutor on a pty, bytes and resizes both ways
- ``web``         the browser server (textual-serve)
- ``command``     the ``serve`` subcommand's arguments and start-up
"""
