import { randomUUID } from 'node:crypto';
import { ANSWER_LIMIT, QUESTION_LIMIT } from '../domain/review';
import { readText } from '../domain/text';
import { auditEvent } from '../domain/audit';
import { err, ok, Result } from '../domain/result';
import type { Application } from '../domain/application';
import type { Question, ReviewRecord } from '../domain/review';
import type { Deps } from './deps';
import { reviewForMember } from './load-review';
import { loadOwnApplication } from './load-own-application';

export type AskError =
  { code: 'NOT_FOUND' } | { code: 'WRONG_CARD' } | { code: 'NOT_ON_PANEL' } | { code: 'RECUSED' } | { code: 'CLOSED' } | { code: 'TEXT_REQUIRED' };

/** A panel member asks the applicant a question; the app layer delivers it in the applicant's chat. */
export async function askQuestion(
  deps: Deps,
  input: { actorId: string; roundId: string; applicationId: string; cardActivityId?: string; cardServiceUrl?: string; text: string },
): Promise<Result<{ question: Question; application: Application }, AskError>> {
  const gate = await reviewForMember(deps, input);
  if (!gate.ok) return gate;
  const { ctx, viewer } = gate.value;
  if (viewer.kind === 'recused') return err({ code: 'RECUSED' });
  if (!ctx.open) return err({ code: 'CLOSED' });
  const typed = readText(input.text, QUESTION_LIMIT);
  if (typed.error || !typed.value) return err({ code: 'TEXT_REQUIRED' });
  const text = typed.value;
  const now = deps.clock.now();
  const question: Question = { id: randomUUID().slice(0, 8), applicationId: input.applicationId, askedBy: input.actorId, text, askedAt: now.toISOString() };
  await deps.repos.reviews.addQuestion(
    input.roundId,
    question,
    auditEvent(input.roundId, input.actorId, 'review.question-asked', input.applicationId, now, { questionId: question.id }),
  );
  return ok({ question, application: ctx.app.value });
}

/** An empty or too long answer comes back with the question, so the card can be shown again. */
export type AnswerError = { code: 'NOT_FOUND' } | { code: 'ANSWER_REQUIRED'; question: Question; application: Application };

/** The applicant answers in their chat; the app layer posts the answer in the review thread. */
export async function answerQuestion(
  deps: Deps,
  input: { actorId: string; roundId: string; applicationId: string; questionId: string; answer: string },
): Promise<Result<{ question: Question; review?: ReviewRecord; already: boolean; application: Application }, AnswerError>> {
  const own = await loadOwnApplication(deps, input.actorId, input.roundId, input.applicationId);
  if (!own) return err({ code: 'NOT_FOUND' });
  const bundle = await deps.repos.reviews.bundle(input.roundId, input.applicationId);
  const current = bundle.questions.find((q) => q.value.id === input.questionId);
  if (!current) return err({ code: 'NOT_FOUND' });
  const review = bundle.review?.value;
  if (current.value.answer !== undefined) return ok({ question: current.value, ...(review ? { review } : {}), already: true, application: own.value });
  const typed = readText(input.answer, ANSWER_LIMIT);
  if (typed.error || !typed.value) return err({ code: 'ANSWER_REQUIRED', question: current.value, application: own.value });
  const answer = typed.value;
  const now = deps.clock.now();
  const next: Question = { ...current.value, answer, answeredAt: now.toISOString() };
  const saved = await deps.repos.reviews.answerQuestion(
    input.roundId,
    current,
    next,
    auditEvent(input.roundId, input.actorId, 'review.question-answered', input.applicationId, now, { questionId: next.id }),
  );
  if (!saved.ok) {
    const latest = (await deps.repos.reviews.bundle(input.roundId, input.applicationId)).questions.find((q) => q.value.id === input.questionId);
    return ok({ question: latest?.value ?? next, ...(review ? { review } : {}), already: true, application: own.value });
  }
  return ok({ question: next, ...(review ? { review } : {}), already: false, application: own.value });
}
