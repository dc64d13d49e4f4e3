package paginate

// Option configures an iteration started by [Items] or [Pages].
type Option func(*options)

type options struct {
	prefetch bool
	maxItems int
	maxPages int
}

func newOptions(opts []Option) options {
	var o options
	for _, opt := range opts {
		if opt != nil {
			opt(&o)
		}
	}
	return o
}

// WithPrefetch enables or disables prefetching. When enabled, page N+1 is
// fetched in a background goroutine while the consumer handles the items of
// page N; at most one page is fetched ahead. The fetch callback must then be
// safe to run on another goroutine and must return promptly once its context
// is cancelled, because leaving the loop cancels the in-flight fetch and waits
// for it. Prefetching is off by default.
func WithPrefetch(enabled bool) Option {
	return func(o *options) { o.prefetch = enabled }
}

// WithMaxItems stops the iteration after n items in total; the page that
// crosses the limit is truncated and no further page is fetched. n <= 0 means
// no limit (the default).
func WithMaxItems(n int) Option {
	return func(o *options) { o.maxItems = max(n, 0) }
}

// WithMaxPages stops the iteration after n pages have been fetched. n <= 0
// means no limit (the default).
func WithMaxPages(n int) Option {
	return func(o *options) { o.maxPages = max(n, 0) }
}
