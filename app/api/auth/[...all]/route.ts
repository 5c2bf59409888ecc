import { auth } from '@/lib/auth';

/** better-auth's endpoints: sign-up/email, sign-in/email, sign-out, get-session, … */
export const GET = (request: Request): Promise<Response> => auth().handler(request);
export const POST = (request: Request): Promise<Response> => auth().handler(request);
