"""Manim scenes, each replaying recorded traces; never torch.

Read in this order:
- replay.py        ReplayScene, the one base every scene subclasses directly
- clock.py         StepClock: where the replay is, for each run
- panels/          the pieces scenes are made of (data, loss plot, parameter plane, ...)
- geometry.py      plot boxes, ticks, clipping: pure numpy
- numbers.py, text.py, readout.py, theme.py   how text and numbers look
- one module per scene: fit_line, learning_rate (three scenes), lr_compare,
  minibatch, landscape, optimizers, surface_3d
- export.py, slides.py, formats.py, encoder.py, camera.py   rendering to files

Which class is which scene, with its runs and pace, is in the registry (registry.py).
"""
