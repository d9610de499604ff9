"""Book ch. 3, ``ch3/behavior``: the frequency server split into generic + specific."""
