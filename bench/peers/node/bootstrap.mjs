// The Node.js peer of the cold-start benchmark, run under the same local Runtime API as the Java
// function: it polls /runtime/invocation/next, and for each S3 record GETs the post, renders it
// and PUTs its page, with @aws-sdk/client-s3, like the Java function's core job.
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { pagePath, render } from './render.mjs';

const api = `http://${process.env.AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime`;
const s3 = new S3Client({
  region: process.env.AWS_REGION || 'us-east-1',
  endpoint: process.env.S3_ENDPOINT,
  forcePathStyle: Boolean(process.env.S3_ENDPOINT),
  credentials: { accessKeyId: process.env.AWS_ACCESS_KEY_ID || 'local', secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY || 'local' },
});
const site = { url: process.env.SITE_URL || 'https://blog.example.com', name: process.env.SITE_NAME || 'Blog' };

async function handle(event) {
  for (const record of event.Records) {
    const bucket = record.s3.bucket.name;
    const key = decodeURIComponent(record.s3.object.key.replace(/\+/g, ' '));
    const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    const html = render(key, await object.Body.transformToString(), site);
    await s3.send(new PutObjectCommand({ Bucket: process.env.SITE_BUCKET, Key: pagePath(key) + 'index.html',
      Body: html, ContentType: 'text/html; charset=utf-8', CacheControl: process.env.CACHE_CONTROL }));
    console.log(JSON.stringify({ key, action: 'RENDERED' }));
  }
  return { records: event.Records.length };
}

for (;;) {
  const next = await fetch(`${api}/invocation/next`);
  const id = next.headers.get('lambda-runtime-aws-request-id');
  try {
    const result = await handle(await next.json());
    await fetch(`${api}/invocation/${id}/response`, { method: 'POST', body: JSON.stringify(result) });
  } catch (error) {
    await fetch(`${api}/invocation/${id}/error`, { method: 'POST', body: JSON.stringify({ errorMessage: String(error), errorType: error.name }) });
  }
}
