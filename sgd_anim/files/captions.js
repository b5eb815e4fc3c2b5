// Captions carried inside the page, as a text track made in script: a page opened
// from disk (file://) may load no track file, so a <track src> would stay empty.
// `cues`: [start seconds, end seconds, text] each; `mode` "hidden" keeps the track
// for players and screen readers without drawing it.
function showCaptions(video, cues, mode = "showing") {
  const track = video.addTextTrack("captions", "English", "en");
  for (const [start, end, text] of cues) track.addCue(new VTTCue(start, end, text));
  track.mode = mode;
  return track;
}
