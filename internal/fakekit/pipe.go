package fakekit

import (
	"context"
	"net"
	"net/http"
	"sync"
)

// PipeURL is the base URL of every [PipeServer]. Its host is never looked
// up: the PipeServer's client dials the server in memory whatever the
// request's host.
const PipeURL = "http://pipe.test"

// PipeServer serves a handler with net/http's own server and client over
// in-memory connections ([net.Pipe]) instead of loopback sockets.
//
// Unlike [HandlerTransport], which calls the handler directly, a request
// goes through a real connection: the client's context or Client.Timeout
// ends the request and the handler's context, a Drop fault closes the
// connection, a slow body arrives in pieces, and a request that gave up
// gets an error, not the answer the handler wrote afterwards. Inside a
// testing/synctest bubble every wait on such a connection is durable, so
// the bubble's clock, not the machine's load, decides timeouts and
// latency. Create the PipeServer inside the bubble and Close it before the
// bubble ends.
type PipeServer struct {
	// URL is [PipeURL].
	URL string

	srv *http.Server
	ln  *pipeListener
	tr  *http.Transport
}

// NewPipeServer starts serving h over in-memory connections. The caller
// should call Close when finished.
func NewPipeServer(h http.Handler) *PipeServer {
	ln := &pipeListener{conns: make(chan net.Conn), done: make(chan struct{})}
	s := &PipeServer{URL: PipeURL, srv: &http.Server{Handler: h}, ln: ln}
	s.tr = &http.Transport{
		DialContext: ln.dial,
	}
	go func() { _ = s.srv.Serve(ln) }()
	return s
}

// Client returns an http.Client whose every connection goes to the
// server. Clients returned by one PipeServer share one connection pool.
func (s *PipeServer) Client() *http.Client {
	return &http.Client{Transport: s.tr}
}

// Transport returns the http.RoundTripper of [PipeServer.Client], for a
// test that builds its own http.Client (with a Timeout, say).
func (s *PipeServer) Transport() http.RoundTripper { return s.tr }

// Close closes the server, every connection to it and the client's idle
// connections. Requests dialled afterwards fail.
func (s *PipeServer) Close() {
	_ = s.srv.Close()
	s.ln.close()
	s.tr.CloseIdleConnections()
}

// pipeListener is a net.Listener whose connections are made by dial.
type pipeListener struct {
	conns chan net.Conn
	done  chan struct{}
	once  sync.Once
	mu    sync.Mutex
	port  int
}

// Accept waits for the next dialled connection.
func (l *pipeListener) Accept() (net.Conn, error) {
	select {
	case c := <-l.conns:
		return c, nil
	case <-l.done:
		return nil, net.ErrClosed
	}
}

// Close stops accepting connections.
func (l *pipeListener) Close() error {
	l.close()
	return nil
}

func (l *pipeListener) close() { l.once.Do(func() { close(l.done) }) }

// Addr is the server's address, from the TEST-NET-1 range.
func (l *pipeListener) Addr() net.Addr {
	return &net.TCPAddr{IP: net.IPv4(192, 0, 2, 2), Port: 80}
}

// dial makes a connection to the listener. The server sees the client at
// 192.0.2.1 with a port of its own per connection.
func (l *pipeListener) dial(ctx context.Context, _, _ string) (net.Conn, error) {
	l.mu.Lock()
	l.port++
	port := 1024 + l.port
	l.mu.Unlock()
	client, server := net.Pipe()
	local := &net.TCPAddr{IP: net.IPv4(192, 0, 2, 1), Port: port}
	srvConn := &pipeConn{Conn: server, local: l.Addr(), remote: local}
	select {
	case l.conns <- srvConn:
		return &pipeConn{Conn: client, local: local, remote: l.Addr()}, nil
	case <-l.done:
		_, _ = client.Close(), server.Close()
		return nil, &net.OpError{Op: "dial", Net: "pipe", Addr: l.Addr(), Err: net.ErrClosed}
	case <-ctx.Done():
		_, _ = client.Close(), server.Close()
		return nil, ctx.Err()
	}
}

// pipeConn is one end of a net.Pipe with TCP-like addresses, so that a
// handler that reads r.RemoteAddr sees host:port.
type pipeConn struct {
	net.Conn
	local, remote net.Addr
}

func (c *pipeConn) LocalAddr() net.Addr  { return c.local }
func (c *pipeConn) RemoteAddr() net.Addr { return c.remote }
