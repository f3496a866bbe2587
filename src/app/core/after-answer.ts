import type { TurnContext } from 'botbuilder';

/**
 * Work a turn starts that its answer does not wait for (posting a review card after a
 * submission): queued on the turn and started once the HTTP answer has been written, so its
 * storage reads and sends do not sit in front of the answer on storage or the event loop. It must
 * be safe to lose (a crash between the answer and the work): what it does is claimed in storage
 * and picked up again by the scheduler's sweep.
 */
const QUEUE = Symbol('afterAnswer');

type Task = () => void;

/** Queues `task` until the turn's answer is out; a turn not run through `collectAfterAnswer` (no HTTP request) starts it on the next tick. */
export function afterAnswer(context: TurnContext, task: Task): void {
  const queue = context.turnState.get(QUEUE) as Task[] | undefined;
  if (queue) queue.push(task);
  else setImmediate(task);
}

/** Called by the HTTP handler before the turn runs: the list `afterAnswer` fills. */
export function collectAfterAnswer(context: TurnContext): Task[] {
  const queue: Task[] = [];
  context.turnState.set(QUEUE, queue);
  return queue;
}

/** Starts the queued work (after the answer was written); a task that throws does not stop the others. */
export function runAfterAnswer(queue: readonly Task[]): void {
  for (const task of queue) {
    try {
      task();
    } catch {
      // Each task logs its own failures; nothing here may throw into the HTTP handler.
    }
  }
}
