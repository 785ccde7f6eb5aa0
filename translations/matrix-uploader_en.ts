<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>MatrixUpload::App::MainWindow</name>
    <message numerus="yes">
        <source>%n unfinished upload(s) from the last run: Resume continues them from where they stopped.</source>
        <translation>
            <numerusform>%n unfinished upload from the last run: Resume continues it from where it stopped.</numerusform>
            <numerusform>%n unfinished uploads from the last run: Resume continues them from where they stopped.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n files were uploaded encrypted, but they were not posted to %1: that room is end-to-end encrypted, and Matrix Uploader cannot encrypt messages.</source>
        <translation>
            <numerusform>%n file was uploaded encrypted, but it was not posted to %1: that room is end-to-end encrypted, and Matrix Uploader cannot encrypt messages.</numerusform>
            <numerusform>%n files were uploaded encrypted, but they were not posted to %1: that room is end-to-end encrypted, and Matrix Uploader cannot encrypt messages.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MatrixUpload::App::RoomPickerDialog</name>
    <message numerus="yes">
        <source>%n room(s)</source>
        <translation>
            <numerusform>%n room</numerusform>
            <numerusform>%n rooms</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MatrixUpload::App::TrayStatus</name>
    <message numerus="yes">
        <source>Uploading %n file(s): %1 %</source>
        <translation>
            <numerusform>Uploading %n file: %1 %</numerusform>
            <numerusform>Uploading %n files: %1 %</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n upload(s) paused</source>
        <translation>
            <numerusform>%n upload paused</numerusform>
            <numerusform>%n uploads paused</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n upload(s) failed</source>
        <translation>
            <numerusform>%n upload failed</numerusform>
            <numerusform>%n uploads failed</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n file(s) uploaded</source>
        <translation>
            <numerusform>%n file uploaded</numerusform>
            <numerusform>%n files uploaded</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n failed</source>
        <translation>
            <numerusform>%n failed</numerusform>
            <numerusform>%n failed</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MatrixUpload::Cli::UploadCommand</name>
    <message numerus="yes">
        <source>Resuming %n unfinished upload(s).</source>
        <translation>
            <numerusform>Resuming %n unfinished upload.</numerusform>
            <numerusform>Resuming %n unfinished uploads.</numerusform>
        </translation>
    </message>
</context>
</TS>
