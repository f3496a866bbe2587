import { TeamsAdapter } from '@microsoft/teams-ai';
import { ConfigurationBotFrameworkAuthenticationOptions, StatusCodes } from 'botbuilder';
// botbuilder's own dependency (not re-exported): CloudAdapter answers 401 only for this class.
import { AuthenticationError } from 'botframework-connector';
import type { Logger } from '../../log';

/** What jsonwebtoken throws for a token it will not verify: bad signature, wrong algorithm, not yet valid, malformed. */
const TOKEN_ERRORS = new Set(['JsonWebTokenError', 'NotBeforeError', 'TokenExpiredError']);

/**
 * The Teams adapter, with one correction to botbuilder's validation: a token that fails
 * jsonwebtoken's own checks (signed by another key under a known key id, HS256, not yet valid)
 * reaches CloudAdapter as a plain error, which it answers with 500 and the error text. Those are
 * refusals of the caller, so they become 401 like every other bad token. Anything else (the key
 * document unreachable) stays a 500: that is our side. Every refusal is logged as a structured
 * line with botbuilder's reason (fixed texts; the part after a colon, such as the audience, is
 * left out).
 */
export class LeerbudgetAdapter extends TeamsAdapter {
  constructor(authConfig: ConfigurationBotFrameworkAuthenticationOptions, log: Logger) {
    super(authConfig);
    const auth = this.botFrameworkAuthentication;
    const authenticate = auth.authenticateRequest.bind(auth);
    auth.authenticateRequest = async (activity, authHeader) => {
      try {
        return await authenticate(activity, authHeader);
      } catch (e) {
        const refused = e instanceof AuthenticationError || (e instanceof Error && TOKEN_ERRORS.has(e.name));
        const reason = String((e as Error)?.message ?? e)
          .split(':')[0]!
          .slice(0, 120);
        log.warn({ code: refused ? 'UNAUTHENTICATED' : 'AUTH_FAILED', reason, channelId: activity.channelId }, 'request refused: authentication');
        if (refused && !(e instanceof AuthenticationError)) {
          throw new AuthenticationError('Unauthorized. The token is not valid.', StatusCodes.UNAUTHORIZED);
        }
        throw e;
      }
    };
  }
}
