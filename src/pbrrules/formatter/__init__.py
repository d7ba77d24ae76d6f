"""``pbr-eval fmt``: a built source file printed in canonical layout, its comments put back."""
