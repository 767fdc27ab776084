/*
 * jitter.c - how long the machine itself takes a CPU away.  One thread per
 * CPU this process may run on, each held to its CPU, reads the monotonic
 * clock in a loop for a few seconds; any gap between two readings is time
 * the thread did not run (the kernel, an interrupt, another guest of the
 * hypervisor).  No server can answer faster than its CPU is given back,
 * so these stalls bound the p99 that bench/run can measure here.
 *
 *   bench-jitter [--seconds S]     (default 2)
 *
 * Prints one line per CPU and one for all, which bench/run parses:
 *   JITTER cpu=N over_500us=N over_1ms=N over_2ms=N max_us=N
 */
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct probe {
	pthread_t thread;
	int cpu;
	double seconds;
	long over_500us, over_1ms, over_2ms;
	int64_t max_ns;
};

static int64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void *
spin(void *arg)
{
	struct probe *p = arg;
	cpu_set_t one;
	int64_t prev, end;

	CPU_ZERO(&one);
	CPU_SET(p->cpu, &one);
	pthread_setaffinity_np(pthread_self(), sizeof(one), &one);
	prev = now_ns();
	end = prev + (int64_t)(p->seconds * 1e9);
	while (prev < end) {
		int64_t t = now_ns(), gap = t - prev;

		prev = t;
		if (gap > p->max_ns)
			p->max_ns = gap;
		p->over_500us += gap > 500000;
		p->over_1ms += gap > 1000000;
		p->over_2ms += gap > 2000000;
	}
	return NULL;
}

static void
print(const char *cpu, long a, long b, long c, int64_t max_ns)
{
	printf("JITTER cpu=%s over_500us=%ld over_1ms=%ld over_2ms=%ld "
	       "max_us=%lld\n",
	    cpu, a, b, c, (long long)(max_ns / 1000));
}

int
main(int argc, char **argv)
{
	double seconds = 2;
	cpu_set_t set;
	struct probe *v;
	int i, n = 0, cpu;
	long a = 0, b = 0, c = 0;
	int64_t max_ns = 0;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--seconds") == 0 && i + 1 < argc) {
			seconds = atof(argv[++i]);
		} else {
			fprintf(stderr, "usage: bench-jitter [--seconds S]\n");
			return 2;
		}
	}
	if (!(seconds > 0 && seconds <= 60)) {
		fprintf(stderr, "bench-jitter: --seconds must be in (0, 60]\n");
		return 2;
	}
	if (sched_getaffinity(0, sizeof(set), &set) != 0 ||
	    CPU_COUNT(&set) == 0) {
		perror("bench-jitter: sched_getaffinity");
		return 1;
	}
	if ((v = calloc((size_t)CPU_COUNT(&set), sizeof(*v))) == NULL)
		return 1;
	for (cpu = 0; cpu < CPU_SETSIZE; cpu++) {
		if (!CPU_ISSET(cpu, &set))
			continue;
		v[n].cpu = cpu;
		v[n].seconds = seconds;
		if (pthread_create(&v[n].thread, NULL, spin, &v[n]) != 0) {
			fprintf(stderr,
			    "bench-jitter: cannot start a thread\n");
			return 1;
		}
		n++;
	}
	for (i = 0; i < n; i++) {
		char name[16];

		pthread_join(v[i].thread, NULL);
		snprintf(name, sizeof(name), "%d", v[i].cpu);
		print(name, v[i].over_500us, v[i].over_1ms, v[i].over_2ms,
		    v[i].max_ns);
		a += v[i].over_500us;
		b += v[i].over_1ms;
		c += v[i].over_2ms;
		if (v[i].max_ns > max_ns)
			max_ns = v[i].max_ns;
	}
	print("all", a, b, c, max_ns);
	free(v);
	return 0;
}
