"""Panels: the pieces scenes are made of, each named for what it draws.

A panel is built from its box (where it goes), the traces, and the palette; it hands
back its static parts (`static()`, drawn once) and its moving parts (`moving(clock)`,
redrawn each frame from the step clock), and keeps its own state.

- axes.py             L-shaped axes with ticks and grid: every 2-D plot's frame
- data_plot.py        the data, the fitted line and its residuals
- batch.py            the current mini-batch lit on the data
- loss_plot.py        loss by step on a log axis: curves, the least-squares floor
- parameter_plane.py  the loss contours over (a₁, a₂) and the paths across them
- parabola.py         the quadratic, and a run hopping along it
- bowl.py             the loss as a 3-D surface, and the path down it
- readouts.py         a column of names and live numbers
- update_rule.py      the update w ← w − lr · f′(w) with the step's numbers
- legend.py           rows of a mark and its meaning
"""
