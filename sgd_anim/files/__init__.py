"""Writing what the scenes draw to files: the top of the flow sgdcore → scenes → files.

- export.py     one scene into one finished file, staged and moved atomically
- encoder.py    the streaming renderer and writer: frames straight into the encoder
- chunked.py    an mp4 in 250-frame chunks, drawn in parts by forked processes
  (segments.py: the chunks and parts; parts.py: the processes)
- formats.py    mp4, webm, mov, gif and png: codecs, pixel formats, alpha
- captions.py   WebVTT and SubRip from a scene's beats
- slides.py     reveal.js and PowerPoint decks through manim-slides' converters
  (beat_videos.py: a scene rendered once, a video and a poster per beat)
- player.py     the lecture player: one HTML file, its steps, beats and numbers
  (step_frames.py: the frame of each step; shown_steps.py: the numbers shown)
"""
