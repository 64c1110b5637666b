"""What a chain-rule problem can ask for, and the kinds of answer the grader knows.

No sympy here: the command line offers these as choices without loading the engine.
"""

ASKS = {
    "jacobian": "the Jacobian of the whole composition (p×n)",
    "gradient": "the gradient of a scalar output, as an n×1 column",
    "layer_jacobian": "the Jacobian of one layer (set layer: 1 for the innermost)",
    "entry": "one entry ∂y_i/∂x_j of the composite Jacobian (set entry: [i, j])",
    "pushforward": "Δy for a perturbation Δx (set dx)",
    "pullback": "the gradient with respect to one space (set space: 0 for x, 1 for u, ...)",
    "value": "the value in one space at the point (set space)",
}

ANSWER_KINDS = ("scalar", "vector", "matrix", "shape")
