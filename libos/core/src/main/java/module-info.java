/**
 * The library OS: the device interfaces an appliance is written against, pooled buffers,
 * typed configuration, logging, and the runtime that boots a target and runs an appliance.
 */
module atoll.libos {
    requires jdk.unsupported; // sun.misc.Signal: SIGTERM/SIGINT stop, SIGHUP reloads, SIGUSR1/2 (Launcher)

    exports atoll.libos.buffer;
    exports atoll.libos.net;
    exports atoll.libos.time;
    exports atoll.libos.entropy;
    exports atoll.libos.store;
    exports atoll.libos.log;
    exports atoll.libos.metrics;
    exports atoll.libos.config;
    exports atoll.libos.runtime;

    uses atoll.libos.runtime.TargetProvider;
    provides java.lang.System.LoggerFinder with atoll.libos.log.CompactLoggerFinder;
}
