const note = document.getElementById("note");
const status = document.getElementById("status");
const count = document.getElementById("count");

function updateCount() {
  count.textContent = note.value.length + " characters";
}

function flash(text) {
  status.textContent = text;
}

chrome.storage.local.get("note", (items) => {
  if (typeof items.note === "string") note.value = items.note;
  updateCount();
});

note.addEventListener("input", updateCount);

document.getElementById("save").addEventListener("click", () => {
  chrome.storage.local.set({ note: note.value }, () => flash("Saved"));
});

document.getElementById("clear").addEventListener("click", () => {
  note.value = "";
  updateCount();
  chrome.storage.local.remove("note", () => flash("Cleared"));
});
