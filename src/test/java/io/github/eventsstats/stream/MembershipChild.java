package io.github.eventsstats.stream;

/**
 * A replica's membership alone in a process of its own, for the kill -9 test: args bootstrap, topic,
 * group, job. Prints HOLDS once it holds the job, then waits to be killed.
 */
public final class MembershipChild {

    public static void main(String[] args) throws InterruptedException {
        TestKafkaConfig config = new TestKafkaConfig(args[0], args[1], args[2], 1);
        Membership m = new Membership(config, args[3], new Topics(config).leader(), 1);
        m.start();
        while (!m.holds()) {
            Thread.sleep(50); // a child process's own loop; the test waits on its output by condition
        }
        System.out.println("HOLDS");
        System.out.flush();
        Thread.currentThread().join();
    }
}
