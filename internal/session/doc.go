// Package session keeps a devise_token_auth session (the token-rotating
// sign-in of the uztgs API) for a client: the five headers that carry it
// ([Headers]), the rules by which a response's token replaces the stored
// one, and the sign-in again after a 401 or shortly before the token
// expires.
//
// A [Session] is built with [New] from a [Config] whose SignIn sends the
// sign-in request. [Session.Transport] wraps the client's transport: it
// adds the headers to every request, takes the new token from every
// response and sends one request at a time, since each response rotates
// the token. [Session.Do] runs a call, signing in first when needed and
// replaying the call once after a 401; [Session.SignOut] ends the session.
//
// A [TokenStore] keeps the headers between runs so a program can resume
// without the password: [MemoryStore] (the default) or [FileStore], a JSON
// file written atomically with mode 0600.
package session
