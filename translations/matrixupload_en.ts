<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>MatrixUpload::UploadJob</name>
    <message numerus="yes">
        <source>Gave up after %n tries: %1</source>
        <translation>
            <numerusform>Gave up after %n try: %1</numerusform>
            <numerusform>Gave up after %n tries: %1</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MatrixUpload::UploadListModel</name>
    <message numerus="yes">
        <source>Retrying in %n s</source>
        <translation>
            <numerusform>Retrying in %n s</numerusform>
            <numerusform>Retrying in %n s</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MatrixUpload::UploadManagerWidget</name>
    <message numerus="yes">
        <source>The folder %1 holds %n file(s). Upload them all?</source>
        <translation>
            <numerusform>The folder %1 holds %n file. Upload it?</numerusform>
            <numerusform>The folder %1 holds %n files. Upload them all?</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>UploadManagerView</name>
    <message numerus="yes">
        <source>%n failed</source>
        <translation>
            <numerusform>%n failed</numerusform>
            <numerusform>%n failed</numerusform>
        </translation>
    </message>
</context>
</TS>
