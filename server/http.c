/*
 * http.c - the HTTP front end on libmicrohttpd: one struct request per HTTP
 * request, created when the request line arrives and freed when MHD is
 * done with it.  This file only moves bytes; what a request means is the
 * pipeline's business (emu_handle).
 */
#include "http.h"

#include <arpa/inet.h>
#include <errno.h>
#include <json-c/json.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "accesslog.h"
#include "clock.h"
#include "config.h"
#include "emu.h"
#include "events.h"
#include "gerr.h"
#include "pipeline.h"
#include "request.h"
#include "response.h"
#include "util.h"

/* How long http_stop() waits for in-flight requests (Docker grants 10 s). */
#define HTTP_DRAIN_SECONDS 10
/* Access-log buffering: two buffers of this, one filling, one written. */
#define HTTP_LOG_BUFSIZE (512 * 1024)
/*
 * libmicrohttpd's memory per connection: the request head, a record per
 * header, then the answer's headers.  Cleared per request, so no larger
 * than the most it takes from malloc rather than mmap.
 */
#define HTTP_POOL_SIZE (32 * 1024)
/*
 * The largest request head served: request line, headers and 64 bytes of
 * libmicrohttpd's bookkeeping per header.  A Graph paging URL is well
 * under 4 KiB; past this the request is refused unrun, and whatever is
 * left of the pool (at least a quarter) holds the answer's headers.
 */
#define HTTP_HEAD_MAX (12 * 1024)
#define HTTP_HEADER_RECORD 64
/* Connections from one address: CI sends everything from one. */
#define HTTP_PER_IP_LIMIT 512
/* Descriptors kept back from connections for the store, log and probes. */
#define HTTP_FD_RESERVE 64
/* The hard ceiling on connections, whatever the descriptor limit. */
#define HTTP_CONN_MAX 16384
/* A request's time to arrive whole when no configuration says. */
#define HTTP_REQUEST_TIMEOUT 30
/* How often the timer thread looks for requests past their deadline. */
#define HTTP_SWEEP_US 250000
/* An event stream idle this long gets a comment, so proxies keep it. */
#define HTTP_HEARTBEAT_US (15 * 1000000LL)

struct http_server {
	struct MHD_Daemon *daemon;
	struct emu *emu;
	http_handler *handle;
	size_t max_body;
	int port;
	struct accesslog *log; /* written to standard error */
	atomic_int log_format; /* enum log_format */
	atomic_bool log_enabled;
	atomic_bool stopping; /* answer with Connection: close */
	/*
	 * Requests received whole and not yet answered; one still being
	 * uploaded is not waited for, or a stalled client would hold up
	 * shutdown.  Atomic, so a request takes no lock for it; mu and
	 * drained serve only http_stop() waiting for it to reach zero.
	 */
	atomic_size_t inflight;
	pthread_mutex_t mu;
	pthread_cond_t drained;
	/*
	 * Injected latency: the connection is suspended and a timer thread
	 * resumes it when its time comes, so a slow answer holds no worker.
	 */
	pthread_t timer;
	pthread_mutex_t tmu;  /* guards delayed and timer_quit */
	pthread_cond_t tcond; /* CLOCK_MONOTONIC */
	struct http_call *delayed;
	bool timer_quit;
	/*
	 * Event streams with nothing to send, suspended until an event or
	 * their heartbeat; events_dirty says an event came since the timer
	 * thread last looked.  Both under tmu.
	 */
	struct http_stream *parked;
	bool events_dirty;
	/*
	 * Every open connection, for the arrival deadline: a request must be
	 * in whole within request_us of its connection becoming ready for
	 * it, or the timer thread shuts its socket.  cmu guards the list
	 * only; a connection's deadline is an atomic of its own.
	 */
	pthread_mutex_t cmu;
	struct http_conn *conns;
	int64_t request_us;    /* 0: no deadline */
	int64_t next_sweep_us; /* the timer thread's */
};

/* One HTTP request: MHD's per-request context (con_cls). */
struct http_call {
	struct request rq;
	struct http_server *srv;
	struct sbuf body;
	bool live;         /* between on_uri() and call_end() */
	bool started;      /* headers seen: the body may follow */
	bool head;         /* a HEAD, run as the GET it stands for */
	bool close;        /* refused at the door: the connection ends */
	bool nul;          /* a raw NUL byte inside the request target */
	bool crlf;         /* the request line ended with CRLF */
	bool handled;      /* emu_handle ran; counted in inflight */
	bool log;          /* logging was on when it ran */
	bool delayed;      /* suspended for an injected latency */
	int64_t t0_us;     /* monotonic, request line received */
	int64_t resume_us; /* monotonic, when delayed */
	struct MHD_Connection *con; /* when delayed */
	struct http_call *next;     /* in srv->delayed */
};

/*
 * One GET /_emulator/events answer: MHD's content-reader context, freed
 * by stream_free() when MHD lets go of the response.  It copies one
 * event at a time out of the ring into out and hands it to MHD as room
 * allows; with nothing to send it suspends its connection and waits in
 * srv->parked, so a quiet stream holds no worker.
 */
struct http_stream {
	struct http_server *srv;
	struct MHD_Connection *con;
	uint64_t cursor; /* the last event sent */
	char *out;       /* what is being sent, from off */
	size_t off, len;
	int64_t last_us;          /* monotonic, when it last sent anything */
	struct http_stream *next; /* in srv->parked */
};

/*
 * One per connection: MHD's socket context, made when the connection is
 * accepted and freed when it is closed, whatever became of its requests.
 * The call is reused by each request on the connection, so a request
 * allocates no context of its own and none can outlive its connection.
 */
struct http_conn {
	struct http_call call;
	int fd;
	/* monotonic; 0 while a request is being answered */
	_Atomic int64_t deadline_us;
	struct http_conn *prev, *next; /* in srv->conns */
	char *remote; /* peer_text(), once per connection; may be NULL */
};

/* Dotted quad of a[0..4): by hand, as inet_ntop's printf shows in profiles. */
static char *
ipv4_text(const unsigned char *a)
{
	char buf[INET_ADDRSTRLEN], *p = buf;
	int i;

	for (i = 0; i < 4; i++) {
		if (i > 0)
			*p++ = '.';
		p = put_decimal(p, a[i]);
	}
	return xstrndup(buf, (size_t)(p - buf));
}

/* Peer address as text; IPv4-mapped IPv6 peers read as plain IPv4. */
static char *
peer_text(struct MHD_Connection *con)
{
	const union MHD_ConnectionInfo *ci;
	char buf[INET6_ADDRSTRLEN];
	const struct sockaddr *sa;

	ci = MHD_get_connection_info(con, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (ci == NULL || ci->client_addr == NULL)
		return NULL;
	sa = ci->client_addr;
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *in = (const void *)sa;

		return ipv4_text((const unsigned char *)&in->sin_addr);
	} else if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const void *)sa;

		if (IN6_IS_ADDR_V4MAPPED(&in6->sin6_addr))
			return ipv4_text(&in6->sin6_addr.s6_addr[12]);
		if (inet_ntop(AF_INET6, &in6->sin6_addr, buf, sizeof(buf)))
			return xstrdup(buf);
	}
	return NULL;
}

/* Frees what the request holds; the call stays for the next one. */
static void
call_end(struct http_call *call)
{
	if (!call->live)
		return;
	sbuf_release(&call->body);
	request_cleanup(&call->rq);
	call->live = false;
}

static struct http_call *
call_begin(struct http_conn *c, struct http_server *srv, const char *target)
{
	struct http_call *call = &c->call;

	call_end(call); /* MHD gave up on the last one without a word */
	memset(call, 0, sizeof(*call));
	request_init(&call->rq);
	call->srv = srv;
	call->live = true;
	call->rq.target = xstrdup(target != NULL ? target : "/");
	call->rq.remote = c->remote != NULL ? xstrdup(c->remote) : NULL;
	call->t0_us = clock_mono_us();
	return call;
}

static struct http_conn *
conn_of(struct MHD_Connection *con)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(con,
	    MHD_CONNECTION_INFO_SOCKET_CONTEXT);

	return ci != NULL ? ci->socket_context : NULL;
}

/* Links a new connection in, with its first request's deadline. */
static void
on_connection(void *cls, struct MHD_Connection *con, void **socket_context,
    enum MHD_ConnectionNotificationCode code)
{
	struct http_server *srv = cls;
	struct http_conn *c = *socket_context;
	const union MHD_ConnectionInfo *ci;

	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		c = xcalloc(1, sizeof(*c));
		ci = MHD_get_connection_info(con,
		    MHD_CONNECTION_INFO_CONNECTION_FD);
		c->fd = ci != NULL ? ci->connect_fd : -1;
		/* the peer stays the same for the connection's requests */
		c->remote = peer_text(con);
		atomic_init(&c->deadline_us,
		    srv->request_us > 0 ? clock_mono_us() + srv->request_us :
		                          0);
		pthread_mutex_lock(&srv->cmu);
		c->next = srv->conns;
		if (c->next != NULL)
			c->next->prev = c;
		srv->conns = c;
		pthread_mutex_unlock(&srv->cmu);
		*socket_context = c;
		return;
	}
	if (c == NULL)
		return;
	/* MHD closes the socket after this: the sweep may still use it */
	pthread_mutex_lock(&srv->cmu);
	if (c->prev != NULL)
		c->prev->next = c->next;
	else
		srv->conns = c->next;
	if (c->next != NULL)
		c->next->prev = c->prev;
	pthread_mutex_unlock(&srv->cmu);
	call_end(&c->call);
	free(c->remote);
	free(c);
	*socket_context = NULL;
}

/*
 * MHD calls this with the request target before it decodes anything, so
 * the request keeps the raw path and query exactly as the client sent
 * them (the pipeline decodes them itself).
 */
/*
 * True when the raw target held a NUL byte.  MHD hands the target over as
 * a C string, cut at the first NUL, but in its own buffer: the request
 * line there goes on with the space it turned into a NUL and the version
 * ("HTTP/1.1", then the line's end).  Whatever else follows the first NUL
 * is the rest of a target that a NUL cut short.
 */
static bool
target_has_nul(const char *uri, bool *crlf)
{
	const char *v = uri + strlen(uri) + 1;

	*crlf = false;
	if (!(strncmp(v, "HTTP/", 5) == 0 && v[5] >= '0' && v[5] <= '9' &&
	        v[6] == '.' && v[7] >= '0' && v[7] <= '9' && v[8] == '\0'))
		return true;
	/* MHD turned the line's CR and LF into two NULs; a bare LF, one */
	*crlf = v[9] == '\0';
	return false;
}

static void *
on_uri(void *cls, const char *uri, struct MHD_Connection *con)
{
	struct http_conn *c = conn_of(con);
	struct http_call *call;
	char *q;

	if (c == NULL)
		return NULL;
	call = call_begin(c, cls, uri);
	call->nul = target_has_nul(uri, &call->crlf);
	/*
	 * MHD would next split the query into a pool record per parameter,
	 * which nothing here reads: a few hundred short parameters would
	 * fill the pool and leave the request unanswered.  The target is
	 * MHD's own writable buffer and the query is split after this
	 * returns, so ending it at the '?' leaves MHD nothing to split.
	 */
	q = strchr(uri, '?');
	if (q != NULL)
		q[1] = '\0';
	return call;
}

/*
 * Appends the request's access-log line; the writer thread puts it on
 * standard error, so the request makes no system call for it.
 */
static void
log_request(struct http_server *srv, struct http_call *call)
{
	const struct request *rq = &call->rq;
	const char *method = call->head ? "HEAD" :
	    rq->verb[0] != '\0'         ? rq->verb :
	    rq->method != NULL          ? rq->method :
	                                  "-";
	const char *q = strchr(rq->target, '?');
	size_t plen = q != NULL ? (size_t)(q - rq->target) : strlen(rq->target);
	double ms = (double)(clock_mono_us() - call->t0_us) / 1000.0;
	size_t mlen = strlen(method);
	/* on the stack unless the path is very long: malloc shows in
	 * profiles */
	char cbuf[512], *clean = cbuf, *cpath;
	size_t room = ACCESSLOG_PATH_ROOM(mlen) + ACCESSLOG_PATH_ROOM(plen);

	if (room > sizeof(cbuf))
		clean = xmalloc(room);
	/* the raw path, never the query, with tokens masked and control
	 * characters escaped (accesslog_path()); the method too */
	mlen = accesslog_path(clean, method, mlen);
	cpath = clean + mlen;
	plen = accesslog_path(cpath, rq->target, plen);
	if (atomic_load(&srv->log_format) == LOG_JSON) {
		struct json_object *o = json_object_new_object();
		char when[32], dur[32];
		const char *line;
		size_t len;
		struct tm tm;
		time_t now = time(NULL);

		gmtime_r(&now, &tm);
		strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
		snprintf(dur, sizeof(dur), "%.3f", ms);
		json_object_object_add(o, "time", json_object_new_string(when));
		json_object_object_add(o, "method",
		    json_object_new_string_len(clean, (int)mlen));
		json_object_object_add(o, "path",
		    json_object_new_string_len(cpath, (int)plen));
		json_object_object_add(o, "status",
		    json_object_new_int(rq->resp.drop ? 0 : rq->resp.status));
		if (rq->resp.drop)
			json_object_object_add(o, "dropped",
			    json_object_new_boolean(1));
		json_object_object_add(o, "duration_ms",
		    json_object_new_double_s(ms, dur));
		if (rq->remote != NULL)
			json_object_object_add(o, "remote",
			    json_object_new_string(rq->remote));
		if (rq->trace_id[0] != '\0')
			json_object_object_add(o, "trace_id",
			    json_object_new_string(rq->trace_id));
		line = json_object_to_json_string_length(o,
		    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE,
		    &len);
		accesslog_add(srv->log, line, len);
		json_object_put(o);
	} else {
		/*
		 * By hand, and on the stack unless the path is very long:
		 * printf's float formatting and malloc both show in
		 * profiles.  Past method and path, a line takes at most 3
		 * spaces, 20 digits of status, 20 + 2 of duration and "ms".
		 */
		char stack[512], *line = stack, *p;
		size_t need = mlen + plen + 64;
		long long tenths = (long long)(ms * 10.0 + 0.5);

		if (need > sizeof(stack))
			line = xmalloc(need);
		p = line;
		memcpy(p, clean, mlen);
		p += mlen;
		*p++ = ' ';
		memcpy(p, cpath, plen);
		p += plen;
		*p++ = ' ';
		if (rq->resp.drop) {
			memcpy(p, "dropped", 7);
			p += 7;
		} else
			p = put_decimal(p, rq->resp.status);
		*p++ = ' ';
		p = put_decimal(p, tenths / 10);
		*p++ = '.';
		p = put_decimal(p, tenths % 10);
		*p++ = 'm';
		*p++ = 's';
		accesslog_add(srv->log, line, (size_t)(p - line));
		if (line != stack)
			free(line);
	}
	if (clean != cbuf)
		free(clean);
}

static void
on_completed(void *cls, struct MHD_Connection *con, void **con_cls,
    enum MHD_RequestTerminationCode toe)
{
	struct http_server *srv = cls;
	struct http_call *call = *con_cls;

	struct http_conn *c = conn_of(con);

	(void)toe;
	if (call == NULL)
		return;
	*con_cls = NULL;
	/* the next request on this connection has its own time to arrive */
	if (c != NULL && srv->request_us > 0)
		atomic_store(&c->deadline_us,
		    clock_mono_us() + srv->request_us);
	if (call->handled && call->log)
		log_request(srv, call);
	/*
	 * The last request out while stopping wakes http_stop().  No
	 * wake-up is lost: stopping is set before http_stop() reads
	 * inflight, so a decrement that reads it false is seen by that
	 * read; one that reads it true broadcasts under mu, so after
	 * http_stop() has checked or while it waits, never in between.
	 */
	if (call->handled && atomic_fetch_sub(&srv->inflight, 1) == 1 &&
	    atomic_load(&srv->stopping)) {
		pthread_mutex_lock(&srv->mu);
		pthread_cond_broadcast(&srv->drained);
		pthread_mutex_unlock(&srv->mu);
	}
	call_end(call);
}

static char *
header_dup(struct MHD_Connection *con, const char *name)
{
	const char *v = MHD_lookup_connection_value(con, MHD_HEADER_KIND, name);

	return v != NULL ? xstrdup(v) : NULL;
}

/*
 * Shuts the socket of every connection whose request has not arrived in
 * time: a client sending a byte now and then defeats MHD's idle timeout,
 * not this.  MHD then sees the connection end and closes it.  Called by
 * the timer thread, without tmu.
 */
static void
sweep_late(struct http_server *srv, int64_t now)
{
	struct http_conn *c;

	pthread_mutex_lock(&srv->cmu);
	for (c = srv->conns; c != NULL; c = c->next) {
		int64_t d = atomic_load(&c->deadline_us);

		if (d != 0 && d <= now && c->fd >= 0) {
			shutdown(c->fd, SHUT_RDWR);
			atomic_store(&c->deadline_us, 0);
		}
	}
	pthread_mutex_unlock(&srv->cmu);
}

/*
 * Takes out of srv->parked the streams to resume now (all of them when
 * stopping, those with an event when one came, those due a heartbeat)
 * and lowers *wake to the next heartbeat of those left.  Under tmu.
 */
static struct http_stream *
streams_due(struct http_server *srv, int64_t now, int64_t *wake)
{
	struct http_stream **pp = &srv->parked, *s, *due = NULL;
	bool dirty = srv->events_dirty;

	srv->events_dirty = false;
	while ((s = *pp) != NULL) {
		if (srv->timer_quit || s->last_us + HTTP_HEARTBEAT_US <= now ||
		    (dirty && events_pending(srv->emu->events, s->cursor))) {
			*pp = s->next;
			s->next = due;
			due = s;
			continue;
		}
		if (s->last_us + HTTP_HEARTBEAT_US < *wake)
			*wake = s->last_us + HTTP_HEARTBEAT_US;
		pp = &s->next;
	}
	return due;
}

/*
 * Resumes delayed connections when their latency is over and event
 * streams when they have something to send, and enforces the arrival
 * deadline every HTTP_SWEEP_US.
 */
static void *
timer_main(void *arg)
{
	struct http_server *srv = arg;

	pthread_mutex_lock(&srv->tmu);
	while (
	    !srv->timer_quit || srv->delayed != NULL || srv->parked != NULL) {
		struct http_call **pp, **first = NULL, *c;
		struct http_stream *due, *s;
		int64_t now = clock_mono_us(), wake = INT64_MAX;
		struct timespec ts;

		if (srv->request_us > 0 && now >= srv->next_sweep_us) {
			srv->next_sweep_us = now + HTTP_SWEEP_US;
			pthread_mutex_unlock(&srv->tmu);
			sweep_late(srv, now);
			pthread_mutex_lock(&srv->tmu);
			continue;
		}
		/* out of the list, still suspended: nothing else frees them */
		if ((due = streams_due(srv, now, &wake)) != NULL) {
			pthread_mutex_unlock(&srv->tmu);
			while ((s = due) != NULL) {
				due = s->next;
				MHD_resume_connection(s->con);
			}
			pthread_mutex_lock(&srv->tmu);
			continue;
		}
		for (pp = &srv->delayed; *pp != NULL; pp = &(*pp)->next)
			if (first == NULL ||
			    (*pp)->resume_us < (*first)->resume_us)
				first = pp;
		c = first != NULL ? *first : NULL;
		/* stopping: answer everything now */
		if (c != NULL && (c->resume_us <= now || srv->timer_quit)) {
			*first = c->next;
			pthread_mutex_unlock(&srv->tmu);
			MHD_resume_connection(c->con);
			pthread_mutex_lock(&srv->tmu);
			continue;
		}
		if (c != NULL && c->resume_us < wake)
			wake = c->resume_us;
		if (srv->request_us > 0 && srv->next_sweep_us < wake)
			wake = srv->next_sweep_us;
		if (wake == INT64_MAX) {
			pthread_cond_wait(&srv->tcond, &srv->tmu);
			continue;
		}
		clock_gettime(CLOCK_MONOTONIC, &ts);
		ts.tv_sec += (time_t)((wake - now) / 1000000);
		ts.tv_nsec += (long)((wake - now) % 1000000) * 1000;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&srv->tcond, &srv->tmu, &ts);
	}
	pthread_mutex_unlock(&srv->tmu);
	return NULL;
}

/* The ring's publish hook: wakes the timer thread if a stream waits. */
static void
stream_notify(void *cls)
{
	struct http_server *srv = cls;

	pthread_mutex_lock(&srv->tmu);
	srv->events_dirty = true;
	if (srv->parked != NULL)
		pthread_cond_signal(&srv->tcond);
	pthread_mutex_unlock(&srv->tmu);
}

/*
 * MHD's content reader for an event stream: the next bytes of the
 * current event, or of the next one; with none, a heartbeat when due,
 * else the connection is suspended (which MHD allows from here) and 0
 * returned.  Ends the stream once the server is stopping.
 */
static ssize_t
stream_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct http_stream *s = cls;
	struct http_server *srv = s->srv;
	int64_t now;
	size_t n;

	(void)pos;
	while (s->off == s->len) {
		free(s->out);
		s->out = NULL;
		s->off = s->len = 0;
		if (atomic_load(&srv->stopping))
			return MHD_CONTENT_READER_END_OF_STREAM;
		s->out = events_next(srv->emu->events, &s->cursor, &s->len);
		if (s->out != NULL)
			break;
		now = clock_mono_us();
		if (s->last_us + HTTP_HEARTBEAT_US <= now) {
			s->out = xstrdup(": heartbeat\n\n");
			s->len = strlen(s->out);
			break;
		}
		pthread_mutex_lock(&srv->tmu);
		if (srv->timer_quit) {
			pthread_mutex_unlock(&srv->tmu);
			return MHD_CONTENT_READER_END_OF_STREAM;
		}
		/* an event that came since events_next(): go round again */
		if (events_pending(srv->emu->events, s->cursor)) {
			pthread_mutex_unlock(&srv->tmu);
			continue;
		}
		/* suspended before the timer can see it, so resume follows */
		MHD_suspend_connection(s->con);
		s->next = srv->parked;
		srv->parked = s;
		pthread_cond_signal(&srv->tcond);
		pthread_mutex_unlock(&srv->tmu);
		return 0;
	}
	n = s->len - s->off;
	if (n > max)
		n = max;
	memcpy(buf, s->out + s->off, n);
	s->off += n;
	s->last_us = clock_mono_us();
	return (ssize_t)n;
}

static void
stream_free(void *cls)
{
	struct http_stream *s = cls;

	events_unsubscribe(s->srv->emu->events);
	free(s->out);
	free(s);
}

/* The response of an event stream, opened with a comment that says so. */
static struct MHD_Response *
stream_new(struct http_server *srv, struct MHD_Connection *con)
{
	struct http_stream *s = xcalloc(1, sizeof(*s));
	struct MHD_Response *resp;

	s->srv = srv;
	s->con = con;
	s->cursor = events_subscribe(srv->emu->events);
	/* the browser reconnects after 2 s if the stream breaks */
	s->out = xstrdup(": waba-emulator events\nretry: 2000\n\n");
	s->len = strlen(s->out);
	s->last_us = clock_mono_us();
	resp = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 4096,
	    stream_read, s, stream_free);
	if (resp == NULL)
		stream_free(s);
	return resp;
}

/* False once the server is stopping: then the answer goes out at once. */
static bool
delay_call(struct http_server *srv, struct http_call *call,
    struct MHD_Connection *con)
{
	pthread_mutex_lock(&srv->tmu);
	if (srv->timer_quit) {
		pthread_mutex_unlock(&srv->tmu);
		return false;
	}
	call->delayed = true;
	call->con = con;
	call->resume_us = clock_mono_us() +
	    (int64_t)call->rq.resp.latency_ms * 1000;
	/* suspended before the timer can see it, so resume always follows */
	MHD_suspend_connection(con);
	call->next = srv->delayed;
	srv->delayed = call;
	pthread_cond_signal(&srv->tcond);
	pthread_mutex_unlock(&srv->tmu);
	return true;
}

static enum MHD_Result
send_response(struct http_server *srv, struct MHD_Connection *con,
    struct http_call *call)
{
	struct request *rq = &call->rq;
	static char empty[1];
	struct MHD_Response *resp;
	enum MHD_Result ret;
	size_t i;

	if (rq->resp.stream && !call->head && srv->emu->events != NULL) {
		if ((resp = stream_new(srv, con)) == NULL)
			return MHD_NO;
	} else if (rq->resp.body != NULL) {
		/* MHD frees the body with free() once it is sent */
		resp = MHD_create_response_from_buffer(rq->resp.body_len,
		    rq->resp.body, MHD_RESPMEM_MUST_FREE);
		if (resp == NULL)
			return MHD_NO;
		rq->resp.body = NULL;
		rq->resp.body_len = 0;
	} else {
		resp = MHD_create_response_from_buffer(0, empty,
		    MHD_RESPMEM_PERSISTENT);
		if (resp == NULL)
			return MHD_NO;
	}
	for (i = 0; i < rq->resp.nheaders; i++)
		MHD_add_response_header(resp, rq->resp.headers[i].name,
		    rq->resp.headers[i].value);
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
	    rq->resp.content_type != NULL ? rq->resp.content_type :
	                                    "application/json; charset=UTF-8");
	if (call->close || atomic_load(&srv->stopping))
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONNECTION,
		    "close");
	ret = MHD_queue_response(con,
	    rq->resp.status > 0 ? (unsigned)rq->resp.status :
	                          MHD_HTTP_INTERNAL_SERVER_ERROR,
	    resp);
	MHD_destroy_response(resp);
	return ret;
}

/* What the first look at a request head finds. */
struct head_scan {
	size_t records;     /* MHD's pool records: headers and cookies */
	size_t cookie_len;  /* MHD copies the Cookie header to split it */
	const char *clen;   /* the first Content-Length */
	bool clen_conflict; /* another Content-Length that differs */
	const char *te;     /* Transfer-Encoding */
	bool crlf;          /* lines end with CRLF: NULs can be found */
	const char *nul;    /* a header whose value held a raw NUL */
};

static enum MHD_Result
scan_header(void *cls, enum MHD_ValueKind kind, const char *key,
    const char *value)
{
	struct head_scan *h = cls;

	h->records++;
	if (kind != MHD_HEADER_KIND || key == NULL)
		return MHD_YES;
	if (value == NULL)
		value = "";
	/*
	 * MHD keeps a header's value in its buffer, cut at the first NUL.
	 * On a CRLF line the cut is followed by the NUL that was the LF;
	 * anything else is the rest of a value a raw NUL cut short.
	 */
	else if (h->crlf && h->nul == NULL && value[strlen(value) + 1] != '\0')
		h->nul = key;
	/* by the first letter: most headers are none of the three */
	switch (key[0] | 0x20) {
	case 'c':
		if (strcasecmp(key, MHD_HTTP_HEADER_CONTENT_LENGTH) == 0) {
			if (h->clen == NULL)
				h->clen = value;
			else if (strcmp(h->clen, value) != 0)
				h->clen_conflict = true;
		} else if (strcasecmp(key, MHD_HTTP_HEADER_COOKIE) == 0) {
			h->cookie_len += strlen(value) + 1;
		}
		break;
	case 't':
		if (strcasecmp(key, MHD_HTTP_HEADER_TRANSFER_ENCODING) == 0)
			h->te = value;
		break;
	}
	return MHD_YES;
}

static int reject(struct http_server *, struct http_call *, unsigned,
    const char *, ...) __attribute__((format(printf, 4, 5)));

/*
 * Answers call with a Graph error (code 100) and HTTP status, without
 * running it, and ends the connection after: what follows the head on
 * the wire cannot be trusted to be the next request.  Returns -1.
 */
static int
reject(struct http_server *srv, struct http_call *call, unsigned status,
    const char *fmt, ...)
{
	struct request *rq = &call->rq;
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	gerr_set(&rq->err, GE_PARAM, "%s", msg);
	/* the ids come from the emulator's one seeded sequence */
	rq->emu = srv->emu;
	pthread_mutex_lock(&srv->emu->lock);
	pipeline_trace(rq, rq->fb_trace_id, sizeof(rq->fb_trace_id));
	pthread_mutex_unlock(&srv->emu->lock);
	gerr_render(&rq->err, rq->trace_id, (int)status, &rq->resp);
	response_header(&rq->resp, "Cache-Control", "no-store");
	response_header(&rq->resp, "x-fb-request-id", rq->trace_id);
	response_header(&rq->resp, "x-fb-trace-id", rq->fb_trace_id);
	call->close = true;
	return -1;
}

/*
 * The HTTP-level checks on a request head, before anything runs: its
 * size (what is left of the pool must hold the answer's headers) and
 * how its body is framed.  0 to go on, -1 with the answer in call.
 */
static int
check_head(struct http_server *srv, struct http_call *call,
    struct MHD_Connection *con)
{
	const union MHD_ConnectionInfo *ci;
	struct head_scan h = { 0, 0, NULL, false, NULL, call->crlf, NULL };
	size_t size = 0, tlen = strlen(call->rq.target);

	MHD_get_connection_values(con, MHD_HEADER_KIND | MHD_COOKIE_KIND,
	    scan_header, &h);
	ci = MHD_get_connection_info(con,
	    MHD_CONNECTION_INFO_REQUEST_HEADER_SIZE);
	if (ci != NULL)
		size = ci->header_size;
	if (size < tlen)
		size = tlen;
	size += h.records * HTTP_HEADER_RECORD + h.cookie_len;
	if (size > HTTP_HEAD_MAX) {
		/* 414 when the target is most of it, else 431 */
		if (tlen * 2 > size)
			return reject(srv, call, MHD_HTTP_URI_TOO_LONG,
			    "(#100) The request target is too long: the "
			    "request line and headers may take at most "
			    "%d bytes",
			    HTTP_HEAD_MAX);
		return reject(srv, call,
		    MHD_HTTP_REQUEST_HEADER_FIELDS_TOO_LARGE,
		    "(#100) The request headers are too large: the request "
		    "line and headers may take at most %d bytes",
		    HTTP_HEAD_MAX);
	}
	/* the target as MHD passed it would be the part before the NUL */
	if (call->nul)
		return reject(srv, call, MHD_HTTP_BAD_REQUEST,
		    "(#100) The request target must not contain a NUL "
		    "character");
	if (h.nul != NULL)
		return reject(srv, call, MHD_HTTP_BAD_REQUEST,
		    "(#100) The header %.64s must not contain a NUL "
		    "character",
		    h.nul);
	if (h.te != NULL && strcasecmp(h.te, "chunked") != 0)
		return reject(srv, call, MHD_HTTP_NOT_IMPLEMENTED,
		    "(#100) Transfer-Encoding '%.64s' is not supported: "
		    "send the body with Content-Length or chunked",
		    h.te);
	if (h.te != NULL && h.clen != NULL)
		return reject(srv, call, MHD_HTTP_BAD_REQUEST,
		    "(#100) A request may not carry both Content-Length "
		    "and Transfer-Encoding");
	if (h.clen_conflict)
		return reject(srv, call, MHD_HTTP_BAD_REQUEST,
		    "(#100) The request carries conflicting Content-Length "
		    "headers");
	return 0;
}

/*
 * Called first when the headers are in (answering then would cost
 * keep-alive), then once per body chunk, then with no data: only then is
 * the request complete and handled.
 */
static enum MHD_Result
on_request(void *cls, struct MHD_Connection *con, const char *url,
    const char *method, const char *version, const char *upload_data,
    size_t *upload_data_size, void **con_cls)
{
	struct http_server *srv = cls;
	struct http_call *call = *con_cls;
	struct request *rq;

	(void)version;
	(void)url;
	if (call == NULL) /* no URI callback: cannot happen */
		return MHD_NO;
	rq = &call->rq;
	if (!call->started) {
		struct http_conn *c = conn_of(con);

		call->started = true;
		/* answered as the GET it stands for; MHD sends no body
		 * (RFC 9110, section 9.3.2) */
		call->head = strcmp(method, MHD_HTTP_METHOD_HEAD) == 0;
		rq->method = xstrdup(call->head ? MHD_HTTP_METHOD_GET : method);
		rq->host = header_dup(con, MHD_HTTP_HEADER_HOST);
		rq->authorization = header_dup(con,
		    MHD_HTTP_HEADER_AUTHORIZATION);
		rq->content_type = header_dup(con,
		    MHD_HTTP_HEADER_CONTENT_TYPE);
		/* only the control plane asks where a browser call came from,
		 * and a CORS preflight also what it means to send (cors.c) */
		if (strncmp(rq->target, "/_emulator", 10) == 0 ||
		    strcmp(method, "OPTIONS") == 0) {
			rq->origin = header_dup(con, MHD_HTTP_HEADER_ORIGIN);
			rq->fetch_site = header_dup(con, "Sec-Fetch-Site");
		}
		/* a browser opening the root is shown the dashboard */
		if (rq->target[0] == '/' &&
		    (rq->target[1] == '\0' || rq->target[1] == '?'))
			rq->accept = header_dup(con, MHD_HTTP_HEADER_ACCEPT);
		if (strcmp(method, "OPTIONS") == 0) {
			rq->acr_method = header_dup(con,
			    "Access-Control-Request-Method");
			rq->acr_headers = header_dup(con,
			    "Access-Control-Request-Headers");
		}
		if (check_head(srv, call, con) == 0)
			return MHD_YES;
		/* MHD reads no body once an answer is queued */
		if (c != NULL)
			atomic_store(&c->deadline_us, 0);
		atomic_fetch_add(&srv->inflight, 1);
		call->handled = true;
		call->log = atomic_load(&srv->log_enabled);
		return send_response(srv, con, call);
	}
	if (*upload_data_size > 0) {
		/* past the limit keep reading, so the client still gets a
		 * Graph error rather than a reset connection */
		if (!rq->body_too_large &&
		    *upload_data_size > srv->max_body - call->body.len) {
			rq->body_too_large = true;
			rq->body_limit = srv->max_body;
			sbuf_release(&call->body);
		}
		if (!rq->body_too_large)
			sbuf_add(&call->body, upload_data, *upload_data_size);
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (call->delayed) { /* resumed: the injected latency is over */
		if (rq->resp.drop)
			return MHD_NO;
		return send_response(srv, con, call);
	}
	if (call->handled) /* MHD asks again only if queueing failed */
		return MHD_NO;
	if (call->body.len > 0) {
		rq->body_len = call->body.len;
		rq->body = sbuf_detach(&call->body);
	}
	/* in whole: from here the answer takes what time it takes */
	{
		struct http_conn *c = conn_of(con);

		if (c != NULL)
			atomic_store(&c->deadline_us, 0);
	}
	atomic_fetch_add(&srv->inflight, 1);
	call->handled = true;
	rq->emu = srv->emu;
	srv->handle(srv->emu, rq);
	call->log = atomic_load(&srv->log_enabled);
	if (rq->resp.latency_ms > 0 && delay_call(srv, call, con))
		return MHD_YES;
	if (rq->resp.drop)
		return MHD_NO;
	return send_response(srv, con, call);
}

/* Fills ss from a numeric address; false when bind is not one. */
static bool
parse_bind(const char *bind, int port, struct sockaddr_storage *ss, bool *v6)
{
	struct sockaddr_in *in = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, bind, &in->sin_addr) == 1) {
		in->sin_family = AF_INET;
		in->sin_port = htons((uint16_t)port);
		*v6 = false;
		return true;
	}
	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET6, bind, &in6->sin6_addr) == 1) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons((uint16_t)port);
		*v6 = true;
		return true;
	}
	return false;
}

/* Frees what http_start() set up around the daemon, flushing the log. */
static void
server_free(struct http_server *srv)
{
	accesslog_free(srv->log);
	pthread_cond_destroy(&srv->drained);
	pthread_mutex_destroy(&srv->mu);
	pthread_cond_destroy(&srv->tcond);
	pthread_mutex_destroy(&srv->tmu);
	pthread_mutex_destroy(&srv->cmu);
	free(srv);
}

/*
 * The CPUs this process may run on: a container's or taskset's CPU set,
 * not the machine's, so that a container held to two CPUs of sixty-four
 * does not get sixty-four workers taking turns on two.
 */
static long
usable_cpus(void)
{
	cpu_set_t set;

	if (sched_getaffinity(0, sizeof(set), &set) == 0 && CPU_COUNT(&set) > 0)
		return CPU_COUNT(&set);
	return sysconf(_SC_NPROCESSORS_ONLN);
}

/*
 * Raises the descriptor limit to its hard ceiling, and returns how many
 * connections that leaves room for: at it MHD stops accepting until one
 * closes, rather than accept() failing for want of a descriptor.
 */
static unsigned int
connection_limit(void)
{
	struct rlimit rl;
	rlim_t n;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
		return 1024 - HTTP_FD_RESERVE;
	if (rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		(void)setrlimit(RLIMIT_NOFILE, &rl);
		(void)getrlimit(RLIMIT_NOFILE, &rl);
	}
	n = rl.rlim_cur;
	if (n == RLIM_INFINITY || n > HTTP_CONN_MAX + HTTP_FD_RESERVE)
		n = HTTP_CONN_MAX + HTTP_FD_RESERVE;
	if (n <= 2 * HTTP_FD_RESERVE)
		return (unsigned int)(n > 2 ? n / 2 : 1);
	return (unsigned int)(n - HTTP_FD_RESERVE);
}

struct http_server *
http_start(struct emu *emu, const char *bind, int port, unsigned workers,
    size_t max_body, char **cause)
{
	return http_start_with(emu, emu_handle, bind, port, workers, max_body,
	    cause);
}

struct http_server *
http_start_with(struct emu *emu, http_handler *handle, const char *bind,
    int port, unsigned workers, size_t max_body, char **cause)
{
	struct http_server *srv;
	struct sockaddr_storage ss;
	const union MHD_DaemonInfo *di;
	unsigned int flags, threads;
	long ncpu;
	bool v6;

	if (port < 0 || port > 65535) {
		*cause = xasprintf("port %d is out of range", port);
		return NULL;
	}
	if (!parse_bind(bind, port, &ss, &v6)) {
		*cause = xasprintf("cannot listen on '%s': not an IPv4 or "
		                   "IPv6 address",
		    bind);
		return NULL;
	}
	srv = xcalloc(1, sizeof(*srv));
	srv->emu = emu;
	srv->handle = handle;
	srv->max_body = max_body;
	atomic_init(&srv->log_format, LOG_TEXT);
	atomic_init(&srv->log_enabled, false);
	atomic_init(&srv->stopping, false);
	atomic_init(&srv->inflight, 0);
	pthread_mutex_init(&srv->mu, NULL);
	pthread_cond_init(&srv->drained, NULL);
	{
		pthread_condattr_t ca;

		pthread_condattr_init(&ca);
		pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
		pthread_cond_init(&srv->tcond, &ca);
		pthread_condattr_destroy(&ca);
	}
	pthread_mutex_init(&srv->tmu, NULL);
	pthread_mutex_init(&srv->cmu, NULL);
	srv->request_us = (int64_t)(emu->cfg != NULL ?
	                          emu->cfg->request_timeout :
	                          HTTP_REQUEST_TIMEOUT) *
	    1000000;
	srv->next_sweep_us = clock_mono_us() + HTTP_SWEEP_US;
	srv->log = accesslog_new(STDERR_FILENO, HTTP_LOG_BUFSIZE);
	if (srv->log == NULL) {
		*cause = xstrdup("cannot start the access-log thread");
		server_free(srv);
		return NULL;
	}

	/* ITC wakes the workers promptly when the daemon stops */
	flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ITC |
	    MHD_ALLOW_SUSPEND_RESUME;
	flags |= MHD_is_feature_supported(MHD_FEATURE_EPOLL) == MHD_YES ?
	    MHD_USE_EPOLL :
	    MHD_USE_POLL;
	if (v6)
		flags |= MHD_USE_DUAL_STACK;
	/*
	 * A worker per CPU but one: an emulator's client runs beside it, and
	 * a worker taking turns with it on a CPU makes every request queued
	 * on that worker wait out the client's time slice.  More workers
	 * buy little, as the store's lock takes calls one at a time anyway,
	 * and injected latency holds no worker.  --workers overrides it.
	 */
	ncpu = usable_cpus();
	threads = workers > 0 ? workers : ncpu > 2 ? (unsigned int)ncpu - 1 : 1;

	errno = 0;
	srv->daemon = MHD_start_daemon(flags, (uint16_t)port, NULL, NULL,
	    on_request, srv, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
	    MHD_OPTION_THREAD_POOL_SIZE, threads, MHD_OPTION_CONNECTION_TIMEOUT,
	    (unsigned int)30, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
	    (size_t)HTTP_POOL_SIZE, MHD_OPTION_CONNECTION_LIMIT,
	    connection_limit(), MHD_OPTION_PER_IP_CONNECTION_LIMIT,
	    (unsigned int)HTTP_PER_IP_LIMIT, MHD_OPTION_URI_LOG_CALLBACK,
	    on_uri, srv, MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv,
	    MHD_OPTION_NOTIFY_CONNECTION, on_connection, srv, MHD_OPTION_END);
	if (srv->daemon == NULL) {
		*cause = xasprintf(v6 ? "cannot listen on [%s]:%d: %s" :
		                        "cannot listen on %s:%d: %s",
		    bind, port,
		    errno != 0 ? strerror(errno) :
		                 "the HTTP server failed "
		                 "to start");
		server_free(srv);
		return NULL;
	}
	if (pthread_create(&srv->timer, NULL, timer_main, srv) != 0) {
		*cause = xstrdup("cannot start the timer thread");
		MHD_stop_daemon(srv->daemon);
		server_free(srv);
		return NULL;
	}
	if (emu->events != NULL)
		events_on_publish(emu->events, stream_notify, srv);
	di = MHD_get_daemon_info(srv->daemon, MHD_DAEMON_INFO_BIND_PORT);
	srv->port = di != NULL && di->port != 0 ? di->port : port;
	return srv;
}

int
http_port(const struct http_server *srv)
{
	return srv->port;
}

void
http_set_log(struct http_server *srv, int format, bool enabled)
{
	atomic_store(&srv->log_format, format);
	atomic_store(&srv->log_enabled, enabled);
}

void
http_stop(struct http_server *srv)
{
	struct timespec deadline;

	if (srv == NULL)
		return;
	atomic_store(&srv->stopping, true);
	/*
	 * No MHD_quiesce_daemon(): with a thread pool on epoll, 0.9.75 can
	 * panic removing the listen socket from a worker's epoll set.  The
	 * listener stays open while we drain; new answers say
	 * Connection: close and MHD_stop_daemon() closes it.
	 */
	/* delayed answers go out now; the thread ends once none is left */
	pthread_mutex_lock(&srv->tmu);
	srv->timer_quit = true;
	pthread_cond_signal(&srv->tcond);
	pthread_mutex_unlock(&srv->tmu);
	pthread_join(srv->timer, NULL);
	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += HTTP_DRAIN_SECONDS;
	/* checked under mu: see on_completed() for why no wake-up is lost */
	pthread_mutex_lock(&srv->mu);
	while (atomic_load(&srv->inflight) > 0)
		if (pthread_cond_timedwait(&srv->drained, &srv->mu,
		        &deadline) == ETIMEDOUT)
			break;
	pthread_mutex_unlock(&srv->mu);
	MHD_stop_daemon(srv->daemon);
	/* the webhook worker outlives the server and may still publish */
	if (srv->emu->events != NULL)
		events_on_publish(srv->emu->events, NULL, NULL);
	/* every answered request has its line in by now: write them out */
	server_free(srv);
}
