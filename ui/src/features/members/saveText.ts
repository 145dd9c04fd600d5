// Moving text between the backend and files: saving a CSV export, reading a picked CSV. The
// webview honours `<a download>` for blob URLs (WebKitGTK and WebView2 both save to the
// Downloads folder), so no native dialog or extra plugin is needed.

export function saveTextFile(fileName: string, text: string, type = "text/csv"): void {
  const url = URL.createObjectURL(new Blob([text], { type: `${type};charset=utf-8` }));
  const link = document.createElement("a");
  link.href = url;
  link.download = fileName;
  link.style.display = "none";
  document.body.appendChild(link);
  link.click();
  link.remove();
  // Revoking at once can cancel the save in some engines; the URL is tiny, so wait a moment.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** "members-2025-01-15.csv", dated in the merchant's own time zone. */
export function datedFileName(stem: string, now = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${stem}-${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}.csv`;
}

/** A picked file's text. FileReader rather than `Blob.text()`, which older webviews lack. */
export function readTextFile(file: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result ?? ""));
    reader.onerror = () => reject(new Error("The file couldn't be read. Is it still there?"));
    reader.readAsText(file);
  });
}
