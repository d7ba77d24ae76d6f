"""The pay stage: cohort figures -> payment statement, exact to the minor unit, explained.

``evaluate(contract, figures)`` is the entry point; the modules hold one concept each:
``params`` (which parameter value applies), ``measures`` (rates, frequencies, improvements),
``significance`` (z-tests), ``triggers`` (targets and three-valued triggers), ``amounts``,
``rounding``, ``limits`` (caps and collars), ``assessment`` (one unit) and ``evaluate`` (the loop).
"""

from pbrrules.pay.evaluate import evaluate

__all__ = ["evaluate"]
