"""Writing what the scenes draw to files: the top of the flow sgdcore → scenes → files.

- export.py     one scene into one finished file, staged and moved atomically
- encoder.py    the streaming renderer and writer: frames straight into the encoder
- formats.py    mp4, webm, mov, gif and png: codecs, pixel formats, alpha
- captions.py   WebVTT and SubRip from a scene's beats
- slides.py     reveal.js and PowerPoint decks through manim-slides
"""
