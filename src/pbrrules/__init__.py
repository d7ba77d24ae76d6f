"""pbrrules: payment-by-results reoffending contracts as code."""
