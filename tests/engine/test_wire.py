"""The engine's pipes carry data only: results and exceptions come back, a call of a function never."""

from __future__ import annotations

import os
import pickle

import pytest

from tui_tutor.engine.errors import ParseError
from tui_tutor.engine.results import Preview, Verdict
from tui_tutor.engine.wire import HEADER, dumps, loads
from tui_tutor.engine.worker import EngineTimeout


def _roundtrip(message):
    return loads(dumps(message)[HEADER.size:])


def test_results_exceptions_and_plain_values_come_through():
    message = ("ok", 7, Verdict(True, "Correct.", None, 1.0, ((1, 2),)), {"a": [1.5, None, complex(1, 2)]})
    assert _roundtrip(message) == message
    error = _roundtrip(("err", 8, ParseError("unexpected ')'", column=3)))[2]
    assert isinstance(error, ParseError) and error.column == 3
    assert isinstance(_roundtrip(KeyError("x")), KeyError)
    assert _roundtrip(EngineTimeout(2.0, busy=True)).busy
    assert _roundtrip(Preview(True, "read as: number")).ok


def test_the_scratchpads_result_comes_through():
    """The scratchpad's one call returns its own result types (player_results), solution and player."""
    from tui_tutor.engine.player_results import ScratchResult
    from tui_tutor.engine.scratch import work

    result = _roundtrip(("ok", 9, work(["x1^2 + x2, x1*x2", "u1 + u2^2"], "1,2", "0.1,0")))[2]
    assert isinstance(result, ScratchResult) and result.problem is None
    assert result.solution.maps == ["x1^2 + x2, x1*x2", "u1 + u2^2"] and result.player is not None


class _Planted:
    def __reduce__(self):
        return (os.system, ("echo planted",))


@pytest.mark.parametrize("planted", [_Planted(), print, pickle.loads, Verdict.to_dict])
def test_a_message_that_would_call_a_function_is_refused_before_anything_runs(planted, capfd):
    with pytest.raises(pickle.UnpicklingError, match="not plain data"):
        loads(pickle.dumps(("ok", 1, planted)))
    assert "planted" not in capfd.readouterr().out
