"""tui-tutor: a terminal tutor for the multivariable chain rule."""

__version__ = "0.1.0"
