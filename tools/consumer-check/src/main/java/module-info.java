/** KSLR from the module path: each module by its Automatic-Module-Name. */
module io.github.kslr.consumercheck {
    requires io.github.kslr.api;
    requires io.github.kslr.landmarks;
    requires io.github.kslr.recognizer;
    requires io.github.kslr.tts;
    requires java.desktop;
}
