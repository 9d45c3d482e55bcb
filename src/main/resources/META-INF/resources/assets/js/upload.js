// Straight to S3 with presigned URLs: one PUT for small files, parts in parallel for large ones.
import { api } from './api.js';

const PARALLEL_PARTS = 4;

/** Uploads a File; onProgress(sentBytes, totalBytes). Resolves with the upload id for POST /api/imports. */
export async function uploadFile(file, onProgress, signal) {
  const ticket = await api('/api/uploads', { method: 'POST', body: { filename: file.name, size: file.size, contentType: file.type || 'text/csv' } });
  const sent = new Map(); // part number → bytes sent so far
  const report = () => onProgress([...sent.values()].reduce((a, b) => a + b, 0), file.size);
  if (ticket.url) {
    await put(ticket.url, file, ticket.headers || {}, n => { sent.set(1, n); report(); }, signal);
    await api(`/api/uploads/${ticket.uploadId}/complete`, { method: 'POST', body: { parts: [] } });
  } else {
    const queue = [...ticket.parts];
    const done = [];
    const worker = async () => {
      for (let part = queue.shift(); part; part = queue.shift()) {
        const start = (part.partNumber - 1) * ticket.partSize;
        const blob = file.slice(start, Math.min(start + ticket.partSize, file.size));
        const etag = await put(part.url, blob, {}, n => { sent.set(part.partNumber, n); report(); }, signal);
        done.push({ partNumber: part.partNumber, etag });
      }
    };
    await Promise.all(Array.from({ length: Math.min(PARALLEL_PARTS, queue.length) }, worker));
    done.sort((a, b) => a.partNumber - b.partNumber);
    await api(`/api/uploads/${ticket.uploadId}/complete`, { method: 'POST', body: { parts: done } });
  }
  onProgress(file.size, file.size);
  return ticket.uploadId;
}

/** XMLHttpRequest, not fetch: it reports upload progress. Resolves with the ETag. */
function put(url, body, headers, onSent, signal) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', url);
    for (const [k, v] of Object.entries(headers)) {
      if (!['host', 'content-length'].includes(k.toLowerCase())) xhr.setRequestHeader(k, v);
    }
    xhr.upload.onprogress = e => onSent(e.loaded);
    xhr.onload = () => xhr.status >= 200 && xhr.status < 300
      ? resolve(xhr.getResponseHeader('ETag') || '')
      : reject(uploadError(`The storage refused a part of the file (HTTP ${xhr.status}).`));
    xhr.onerror = () => reject(uploadError('The file could not be sent to storage: the connection failed or storage does not allow this site (CORS).'));
    xhr.onabort = () => reject(uploadError('Upload cancelled.'));
    signal?.addEventListener('abort', () => xhr.abort());
    xhr.send(body);
  });
}

function uploadError(detail) {
  const e = new Error(detail);
  e.problem = { title: 'Upload failed', detail };
  return e;
}
