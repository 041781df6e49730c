// The generator's options, validated once; an invalid one is refused with a GenerateOptionsError naming it.
import { z } from 'zod';

/** An option of the sample generator (or its output folder) is invalid; the message names it. The generator
 * has its own error: it is a tool beside the pipeline, not part of it. */
export class GenerateOptionsError extends Error {
  override name = 'GenerateOptionsError';
}

/** A zod error setting that shows the value received after the reason. */
const reason = (text: string) => ({ error: (issue: { input?: unknown }) => `${text} (got ${JSON.stringify(issue.input)})` });

const positiveInteger = z
  .number(reason('must be a positive integer'))
  .int(reason('must be a positive integer'))
  .positive(reason('must be a positive integer'));

/** True for a real calendar day written YYYY-MM-DD (not 2018-02-30). */
function isCalendarDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const time = Date.parse(`${text}T00:00:00Z`);
  return !Number.isNaN(time) && new Date(time).toISOString().startsWith(text);
}

const calendarDate = z
  .string(reason('must be a date YYYY-MM-DD'))
  .refine(isCalendarDate, reason('must be a date YYYY-MM-DD'));

const optionsSchema = z
  .object({
    outDir: z.string(reason('must be a folder path')).refine((dir) => dir.trim() !== '', reason('must be a folder path')),
    seed: z.union(
      [z.string().min(1, reason('must be a non-empty string or an integer')), z.number().int()],
      reason('must be a non-empty string or an integer'),
    ),
    songs: positiveInteger,
    events: positiveInteger,
    days: positiveInteger,
    startDate: calendarDate.default('2018-11-01'),
    lateEvents: z.number(reason('must be a whole number')).int(reason('must be a whole number')).min(0, reason('must be a whole number')).default(0),
    onProgress: z
      .custom<(filesWritten: number) => void>((value) => typeof value === 'function', reason('must be a function'))
      .optional(),
  })
  .superRefine((options, context) => {
    if (options.events < options.days) {
      context.addIssue({
        code: 'custom',
        path: ['events'],
        message: `must be at least days (${options.days}), one event a day or more (got ${options.events})`,
      });
    }
  });

export type ParsedOptions = z.infer<typeof optionsSchema>;

/** Validates the generator's options; throws GenerateOptionsError naming each bad one. */
export function parseGenerateOptions(options: unknown): ParsedOptions {
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success) {
    const reasons = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'options'}: ${issue.message}`);
    throw new GenerateOptionsError(`Invalid generate options: ${reasons.join('; ')}`);
  }
  return parsed.data;
}
