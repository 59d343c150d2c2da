import { exitListeners, removeExitListenersAddedSince } from "../exitListeners";

/** Each test file's process "exit" listeners are removed when it ends (see ../exitListeners). */
const before = exitListeners();

afterAll(() => removeExitListenersAddedSince(before));
