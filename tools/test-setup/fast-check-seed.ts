import fc from 'fast-check';

// Property tests run with a fixed seed so CI is reproducible; FC_SEED=random (or a number)
// explores other inputs locally. A failure prints its seed and path to replay it.
const requested = process.env.FC_SEED;
if (requested !== 'random') fc.configureGlobal({ seed: requested ? Number(requested) : 20261125 });
