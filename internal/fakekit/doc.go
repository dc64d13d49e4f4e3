// Package fakekit is the plumbing shared by the SDK's in-process fake
// servers (the <api>test packages).
//
// A fake is an ordinary [http.Handler] that imitates one API. fakekit adds
// what every fake needs on top of that handler:
//
//   - [Faults], a queue of injected failures (error statuses, dropped
//     connections, delays, slow or truncated bodies) so that users can
//     exercise their program's error paths;
//   - [Recorder], which keeps a copy of every request the fake received so
//     that tests can assert on what was sent;
//   - small helpers for writing handlers: [WriteJSON] and [Chain];
//   - [Server], an [httptest.Server] on loopback wired as
//     Recorder → Faults → handler;
//   - for soak tests: [Chaos], seeded random faults by weight, with
//     [SoakFaults], [SoakRate] and [SoakSeed], the menu, share and seed
//     the clients' soak tests use;
//   - for tests inside a testing/synctest bubble, where a wait on a
//     loopback socket would keep the bubble's clock still:
//     [HandlerTransport], which calls the handler directly, and
//     [PipeServer], net/http's client and server over in-memory
//     connections, so that timeouts, cancellation and dropped connections
//     behave as over TCP on the bubble's clock.
//
// Everything in the package is safe for concurrent use.
package fakekit
