import type { NextApiRequest, NextApiResponse } from 'next';

/** Answers the Kubernetes probes. */
export default function handler(_req: NextApiRequest, res: NextApiResponse) {
  res.status(200).json({ status: 'ok' });
}
