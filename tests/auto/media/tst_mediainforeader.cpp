// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
#include <QTest>
class tst_MediaInfoReader : public QObject
{
    Q_OBJECT
};
QTEST_MAIN(tst_MediaInfoReader)
#include "tst_mediainforeader.moc"
