// COPY ... MANIFEST over the local mirror, with Redshift's semantics (docs: "Using a manifest to specify data
// files", https://docs.aws.amazon.com/redshift/latest/dg/loading-data-files-using-manifest.html): the manifest is
// JSON `{"entries": [{"url": "s3://bucket/key", "mandatory": true|false, "meta": {...}}]}`; each url names one
// whole object, not a prefix; `mandatory` (default false) makes a missing file an error, otherwise it is skipped;
// and whatever the flags, COPY fails when no file at all is found. `meta` (content_length) is accepted and not
// needed for JSON.
import { promises as fs } from 'node:fs';
import { z } from 'zod';
import { objectPath, type BucketMirrors, type S3Object } from './s3Mirror';

const manifestSchema = z.object({
  entries: z.array(
    z.looseObject({
      url: z.string().startsWith('s3://', 'must be an s3:// URL'),
      mandatory: z.boolean().optional(),
      meta: z.looseObject({ content_length: z.number().int().min(0).optional() }).optional(),
    }),
  ),
});

/** The objects a manifest lists that exist, in its order; throws naming the manifest, or the missing mandatory file. */
export async function manifestObjects(mirrors: BucketMirrors, manifestUri: string): Promise<S3Object[]> {
  const text = await fs.readFile(await objectPath(mirrors, manifestUri), 'utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`Manifest file ${manifestUri} is not in correct format: ${(error as Error).message}`);
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`Manifest file ${manifestUri} is not in correct format: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  const objects: S3Object[] = [];
  for (const entry of parsed.data.entries) {
    const file = await objectPath(mirrors, entry.url).catch(() => undefined);
    if (file) objects.push({ uri: entry.url, path: file });
    else if (entry.mandatory) throw new Error(`Manifest file ${manifestUri}: the mandatory file ${entry.url} was not found`);
  }
  if (objects.length === 0) throw new Error(`Manifest file ${manifestUri}: none of its ${parsed.data.entries.length} files was found`);
  return objects;
}
