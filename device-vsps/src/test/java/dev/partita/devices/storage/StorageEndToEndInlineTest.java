package dev.partita.devices.storage;

/** Every end-to-end storage test with requests completing inline on the client's signalling thread. */
class StorageEndToEndInlineTest extends StorageEndToEndTest {
    @Override
    StorageVspConfig config() {
        return StorageVspConfig.defaults().withInline(true);
    }
}
