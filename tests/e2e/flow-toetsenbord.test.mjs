// Issue 5's end-to-end flow with the keyboard alone (the suite: lib/flow-suite.mjs).
import { flowSuite } from './lib/flow-suite.mjs';

flowSuite('toetsenbord');
