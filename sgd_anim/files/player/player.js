// The lecture player: one clip per run, each knowing the frame where each step starts.
// Everything it shows comes from the page's JSON (sgd_anim/files/player.py): the
// frames, the beats, the captions and the numbers, written by Python as the clip
// writes them; nothing is formatted here.
"use strict";

const data = JSON.parse(document.getElementById("player-data").textContent);
const $ = (id) => document.getElementById(id);
const stage = $("stage");
const videos = [];
let current = 0; // the run on screen
let shownStep = 0; // the step the panel shows
let switching = false;

function videoUrl(base64) {
  const bytes = atob(base64);
  const array = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) array[i] = bytes.charCodeAt(i);
  return URL.createObjectURL(new Blob([array], { type: "video/mp4" }));
}

function frameAt(video) {
  return Math.max(0, Math.floor(video.currentTime * data.fps + 1e-3));
}

// The latest step whose first frame is at or before `frame`.
function stepAt(run, frame) {
  const firsts = data.runs[run].stepFrames;
  let low = 0, high = firsts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (firsts[middle] <= frame) low = middle; else high = middle - 1;
  }
  return low;
}

function chapterAt(run, frame) {
  const chapters = data.runs[run].chapters;
  let found = 0;
  chapters.forEach((chapter, index) => { if (chapter.frame <= frame) found = index; });
  return found;
}

// Seek to the middle of a frame: the decoder then shows that frame exactly.
function seekFrame(video, frame) {
  return new Promise((resolve) => {
    const time = (frame + 0.5) / data.fps;
    if (Math.abs(video.currentTime - time) < 1e-6 && !video.seeking) return resolve();
    video.addEventListener("seeked", () => resolve(), { once: true });
    video.currentTime = time;
  });
}

function showNumbers(run, step) {
  shownStep = step;
  const info = data.runs[run];
  const panel = $("numbers");
  panel.replaceChildren();
  for (const column of info.columns) {
    const table = document.createElement("table");
    if (column.title) {
      const caption = document.createElement("caption");
      caption.textContent = column.title;
      table.append(caption);
    }
    for (const row of column.rows) {
      const line = document.createElement("tr");
      const name = document.createElement("th");
      name.scope = "row";
      name.textContent = row.name;
      const value = document.createElement("td");
      value.textContent = row.texts[Math.min(step, row.texts.length - 1)];
      if (row.name === "update" || row.name === "") value.className = "update";
      line.append(name, value);
      table.append(line);
    }
    panel.append(table);
  }
  if (String(panel.offsetHeight) !== panel.dataset.height) {
    panel.dataset.height = panel.offsetHeight;
    fitVideo();
  }
  $("step").value = String(step);
  $("step-shown").textContent = `${step} / ${info.steps}`;
  $("step").setAttribute("aria-valuetext", `step ${step} of ${info.steps}`);
}

// The video takes the height the caption line, the controls and the numbers leave it.
function fitVideo() {
  const player = $("player");
  const style = getComputedStyle(player);
  const gaps = 4 * parseFloat(style.rowGap || "0");
  const padding = parseFloat(style.paddingTop) + parseFloat(style.paddingBottom);
  const parts = ["caption-line", "controls", "numbers"].map((id) => $(id).offsetHeight);
  const below = parts.reduce((sum, height) => sum + height, 0) + gaps + padding + 2;
  player.style.setProperty("--below", `${Math.ceil(below)}px`);
}

function showBeat(run, frame) {
  const select = $("beat");
  const index = String(chapterAt(run, frame));
  if (select.value !== index) select.value = index;
}

function follow() {
  const video = videos[current];
  const frame = frameAt(video);
  const step = stepAt(current, frame);
  if (step !== shownStep || video.paused) showNumbers(current, step);
  showBeat(current, frame);
}

function watch(video, run) {
  const tick = () => {
    if (run === current && !switching) follow();
    if ("requestVideoFrameCallback" in video) video.requestVideoFrameCallback(tick);
  };
  if ("requestVideoFrameCallback" in video) video.requestVideoFrameCallback(tick);
  video.addEventListener("timeupdate", () => { if (run === current && !switching) follow(); });
  video.addEventListener("play", showPlaying);
  video.addEventListener("pause", showPlaying);
}

function showPlaying() {
  const playing = !videos[current].paused;
  $("play").querySelector(".icon").textContent = playing ? "⏸" : "▶";
  $("play").querySelector(".text").textContent = playing ? "Pause" : "Play";
  $("play").title = playing ? "Pause (Space)" : "Play (Space)";
}

async function goToStep(step, run = current) {
  const info = data.runs[run];
  step = Math.max(0, Math.min(step, info.steps));
  videos[run].pause();
  showNumbers(run, step);
  await seekFrame(videos[run], info.stepFrames[step]);
  showBeat(run, info.stepFrames[step]);
  showNumbers(run, step);
}

async function goToChapter(index) {
  const chapter = data.runs[current].chapters[index];
  videos[current].pause();
  await seekFrame(videos[current], chapter.frame);
  showNumbers(current, stepAt(current, chapter.frame));
  showBeat(current, chapter.frame);
}

// Another run at the same step, or the nearest it has; it plays on if this one did.
async function goToRun(run) {
  run = Math.max(0, Math.min(run, data.runs.length - 1));
  if (run === current) return;
  const old = videos[current];
  const playing = !old.paused;
  const step = Math.min(stepAt(current, frameAt(old)), data.runs[run].steps);
  switching = true;
  old.pause();
  fillBeats(run);
  await goToStep(step, run);
  videos[run].hidden = false;
  old.hidden = true;
  current = run;
  switching = false;
  $("run").value = String(run);
  $("run-shown").textContent = data.runs[run].label;
  $("run").setAttribute("aria-valuetext", `${data.vary.title} ${data.runs[run].label}`);
  setCaptions($("captions").getAttribute("aria-pressed") === "true");
  if (playing) videos[run].play();
  showPlaying();
}

function fillBeats(run) {
  const select = $("beat");
  select.replaceChildren();
  data.runs[run].chapters.forEach((chapter, index) => {
    const option = document.createElement("option");
    option.value = String(index);
    option.textContent = chapter.name;
    option.title = chapter.caption;
    select.append(option);
  });
  $("step").max = String(data.runs[run].steps);
}

// The captions go on a line under the video, never over it: drawn on the frame they
// would cover a plot's axis labels. Their track stays "hidden": its cues still fire.
function setCaptions(on) {
  $("captions").setAttribute("aria-pressed", on ? "true" : "false");
  $("caption-line").hidden = !on;
  showCaptionLine();
}

function showCaptionLine() {
  const track = videos[current]?.textTracks[0];
  const active = track?.activeCues ? [...track.activeCues] : [];
  $("caption-line").textContent = active.map((cue) => cue.text).join(" ");
}

function togglePlay() {
  const video = videos[current];
  if (video.paused) video.play(); else video.pause();
}

function toggleFullscreen() {
  if (document.fullscreenElement) document.exitFullscreen();
  else $("player").requestFullscreen?.();
}

function toggleHelp() {
  const dialog = $("keys");
  if (dialog.open) dialog.close(); else dialog.showModal();
}

function stepBy(delta) {
  const video = videos[current];
  const step = video.paused ? shownStep : stepAt(current, frameAt(video));
  goToStep(step + delta);
}

function beatBy(delta) {
  const index = chapterAt(current, frameAt(videos[current])) + delta;
  goToChapter(Math.max(0, Math.min(index, data.runs[current].chapters.length - 1)));
}

function onKey(event) {
  if ($("keys").open || event.ctrlKey || event.metaKey || event.altKey) return;
  const target = event.target;
  const native = target.matches?.("input, select, textarea");
  const pressable = target.matches?.("button, summary, a");
  const keys = {
    " ": () => !pressable && !native && togglePlay(),
    k: togglePlay,
    ArrowRight: () => !native && stepBy(1),
    ArrowLeft: () => !native && stepBy(-1),
    ArrowUp: () => !native && data.vary && goToRun(current + 1),
    ArrowDown: () => !native && data.vary && goToRun(current - 1),
    PageDown: () => beatBy(1),
    PageUp: () => beatBy(-1),
    Home: () => !native && goToStep(0),
    End: () => !native && goToStep(data.runs[current].steps),
    c: () => setCaptions($("captions").getAttribute("aria-pressed") !== "true"),
    f: toggleFullscreen,
    "?": toggleHelp,
  };
  const action = keys[event.key.length === 1 ? event.key.toLowerCase() : event.key];
  if (action === undefined) return;
  if (action() !== false) event.preventDefault();
}

// `#step=3&run=1`: open at a step of a run; with `probe`, also write what is shown
// into the page, for a test or a script that reads it.
async function followHash() {
  const hash = new URLSearchParams(location.hash.slice(1));
  if (hash.has("run") && data.vary) await goToRun(Number(hash.get("run")));
  if (hash.has("beat")) await goToChapter(Number(hash.get("beat")));
  if (hash.has("step")) await goToStep(Number(hash.get("step")));
  if (hash.has("probe")) probe();
}

function probe() {
  const video = videos[current];
  const canvas = document.createElement("canvas");
  canvas.width = video.videoWidth;
  canvas.height = video.videoHeight;
  canvas.getContext("2d").drawImage(video, 0, 0);
  const rows = [...$("numbers").querySelectorAll("tr")].map((row) => [
    row.cells[0].textContent, row.cells[1].textContent]);
  const state = {
    run: current,
    step: shownStep,
    frame: frameAt(video),
    shownSteps: $("step-shown").textContent,
    beat: Number($("beat").value),
    rows,
    cues: [...video.textTracks].map((track) => (track.cues ? track.cues.length : -1)),
    captionMode: [...video.textTracks].map((track) => track.mode),
    captionLine: $("caption-line").hidden ? null : $("caption-line").textContent,
    pixels: canvas.toDataURL("image/png"),
  };
  let out = $("probe");
  if (!out) {
    out = document.createElement("pre");
    out.id = "probe";
    out.hidden = true;
    document.body.append(out);
  }
  out.textContent = JSON.stringify(state);
}

async function start() {
  stage.style.setProperty("--aspect", String(data.width / data.height));
  const loads = data.runs.map((run, index) => {
    const video = document.createElement("video");
    video.id = `video-${index}`;
    video.preload = "auto";
    video.playsInline = true;
    video.muted = true;
    video.width = data.width;
    video.height = data.height;
    video.hidden = index !== 0;
    video.setAttribute("aria-label", data.vary ? `${data.title}, ${data.vary.title} ${run.label}` : data.title);
    showCaptions(video, run.cues, "hidden").addEventListener("cuechange", () => {
      if (index === current) showCaptionLine();
    });
    video.src = videoUrl(run.video);
    run.video = null; // the Blob holds it now
    stage.append(video);
    videos.push(video);
    watch(video, index);
    return new Promise((resolve) => video.addEventListener("loadeddata", resolve, { once: true }));
  });
  await Promise.all(loads);
  $("loading").remove();
  if (data.vary) {
    $("run-control").hidden = false;
    $("run-name").textContent = data.vary.title;
    $("run").max = String(data.runs.length - 1);
    $("run-shown").textContent = data.runs[0].label;
    $("run").setAttribute("aria-valuetext", `${data.vary.title} ${data.runs[0].label}`);
    data.runs.forEach((run, index) => {
      const mark = document.createElement("option");
      mark.value = String(index);
      mark.label = run.label;
      $("run-marks").append(mark);
    });
  } else {
    $("keys-runs").remove();
    $("keys-runs-what").remove();
  }
  fillBeats(0);
  setCaptions(true);
  $("play").addEventListener("click", togglePlay);
  $("back").addEventListener("click", () => stepBy(-1));
  $("forward").addEventListener("click", () => stepBy(1));
  $("step").addEventListener("input", (event) => goToStep(Number(event.target.value)));
  $("beat").addEventListener("change", (event) => goToChapter(Number(event.target.value)));
  $("run").addEventListener("input", (event) => goToRun(Number(event.target.value)));
  $("captions").addEventListener("click", () =>
    setCaptions($("captions").getAttribute("aria-pressed") !== "true"));
  $("fullscreen").addEventListener("click", toggleFullscreen);
  $("help").addEventListener("click", toggleHelp);
  document.addEventListener("keydown", onKey);
  window.addEventListener("hashchange", followHash);
  window.addEventListener("resize", fitVideo);
  await goToStep(0);
  await followHash();
  document.body.dataset.ready = "yes";
}

start();
