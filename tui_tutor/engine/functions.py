"""Functions the course needs that sympy does not ship under the name a learner types."""

from __future__ import annotations

import sympy


class sigma(sympy.Function):  # noqa: N801 - lower case so it prints as σ(a), as in the lesson
    """The logistic function σ(a) = 1 / (1 + e^(-a)), with σ'(a) = σ(a)(1 - σ(a))."""

    @classmethod
    def eval(cls, arg):
        if arg.is_zero:
            return sympy.S.Half
        return None

    def fdiff(self, argindex=1):
        s = sigma(self.args[0])
        return s * (1 - s)

    def _eval_rewrite_as_exp(self, arg, **kwargs):
        return 1 / (1 + sympy.exp(-arg))

    def _eval_evalf(self, prec):
        return self.rewrite(sympy.exp)._eval_evalf(prec)

    def _eval_is_real(self):
        return self.args[0].is_real

    def _eval_is_positive(self):
        return True if self.args[0].is_real else None


def elementary(expr):
    """``expr`` with σ written out as 1/(1 + e^(-a)), for numeric code and for simplification."""
    return expr.replace(sigma, lambda arg: 1 / (1 + sympy.exp(-arg)))
