// photo.js -- re-encodes a photo through a canvas to JPEG before it is sent: this drops
// EXIF (and with it the GPS position) and shrinks photos over 2 MiB for slow mobile data.
const SHRINK_ABOVE = 2 * 1024 * 1024;
const LONGEST_SIDE = 2048;

export function isPhoto(file) {
  return /^image\/(jpeg|png|webp|heic|heif)$/.test(file.type);
}

// Resolves to a new File (image/jpeg) without metadata; the original is never sent.
export async function reencode(file) {
  const bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
  const big = file.size > SHRINK_ABOVE;
  const scale = big ? Math.min(1, LONGEST_SIDE / Math.max(bitmap.width, bitmap.height)) : 1;
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, Math.round(bitmap.width * scale));
  canvas.height = Math.max(1, Math.round(bitmap.height * scale));
  const context = canvas.getContext('2d');
  context.fillStyle = '#fff';   // a transparent PNG becomes white, not black, as JPEG
  context.fillRect(0, 0, canvas.width, canvas.height);
  context.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  bitmap.close?.();
  let quality = 0.85;
  let blob = await toBlob(canvas, quality);
  while (big && blob.size > SHRINK_ABOVE && quality > 0.5) {
    quality -= 0.15;
    blob = await toBlob(canvas, quality);
  }
  const name = file.name.replace(/\.[^.]*$/, '') + '.jpg';
  return new File([blob], name, { type: 'image/jpeg', lastModified: Date.now() });
}

function toBlob(canvas, quality) {
  return new Promise((resolve, reject) => {
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('encode'))), 'image/jpeg', quality);
  });
}
