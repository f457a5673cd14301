/** The tutorial's appliance (docs/tutorial.md): echoes UDP datagrams and TCP streams. */
module atoll.example.echo {
    requires atoll.libos;

    exports atoll.example.echo;
}
